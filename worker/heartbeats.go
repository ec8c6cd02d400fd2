package worker

import (
	"context"
	"time"

	"github.com/stepwire/stepwire/internal/clock"
)

// beatEvery calls beat every interval on clk until ctx is done, beat
// returns false, or the handler has stopped the job's heartbeats
// (StopHeartbeats). The MQTT worker and the activity worker send their
// heartbeats with it.
func beatEvery(ctx context.Context, clk clock.Clock, interval time.Duration, rep *reporter, beat func() bool) {
	t := clock.NewTicker(clk, interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if rep.quiet.Load() || !beat() {
			return
		}
	}
}

// inBackground runs f on a goroutine of its own, with a context that the
// returned stop cancels; stop then waits for f to return.
func inBackground(ctx context.Context, f func(context.Context)) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(ctx)
	}()
	return func() {
		cancel()
		<-done
	}
}
