package emulatortest

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/stepwire/stepwire/worker"
)

// readyTimeout bounds how long StartWorker waits for the worker to subscribe.
const readyTimeout = 10 * time.Second

// StartWorker runs a stepwire worker against the emulator and waits until
// it is connected and subscribed. Empty fields of cfg are filled in: the
// broker endpoint and, when cfg.TLSConfig is nil, a certificate issued for
// thing (cfg.ClientID) with policy attached, and, on WithFakeClock, the
// fake clock, so the worker's heartbeats and shutdown timeout run on virtual
// time (at cleanup a handler that ignores cancellation then holds the
// shutdown until the clock moves). The worker stops at cleanup.
func (s *Server) StartWorker(cfg worker.Config, policy string, h worker.Handler) *worker.Worker {
	s.t.Helper()
	if cfg.Clock == nil && s.Clock != nil {
		cfg.Clock = s.Clock
	}
	if cfg.Endpoint == "" {
		cfg.Endpoint = s.Endpoints().MQTT
	}
	if cfg.TLSConfig == nil {
		cfg.TLSConfig = s.ClientTLS(cfg.ClientID, policy)
	}
	w, err := worker.New(cfg, h, slog.New(slog.DiscardHandler))
	if err != nil {
		s.t.Fatalf("emulatortest: %v", err)
	}
	runUntilReady(s.t, w.Run, w.Ready())
	return w
}

// runUntilReady starts run on its own goroutine and waits for ready. It
// fails t if run returns first or ready does not come within readyTimeout.
// At cleanup it cancels run's context and waits for run to return, which it
// may already have done: its result is kept once, not read from a channel
// twice.
func runUntilReady(t testing.TB, run func(context.Context) error, ready <-chan struct{}) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{}) // closed when run has returned; then err is set
	var err error
	go func() {
		defer close(done)
		err = run(ctx)
	}()
	reported := false
	t.Cleanup(func() {
		cancel()
		<-done
		if err != nil && !reported {
			t.Errorf("emulatortest: worker: %v", err)
		}
	})
	select {
	case <-ready:
	case <-done:
		reported = true
		t.Fatalf("emulatortest: worker stopped before it was ready: %v", err)
	case <-time.After(readyTimeout):
		t.Fatalf("emulatortest: worker not ready after %v", readyTimeout)
	}
}
