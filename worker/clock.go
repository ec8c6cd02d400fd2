package worker

import (
	"time"

	"github.com/eclipse/paho.golang/autopaho"

	"github.com/stepwire/stepwire/internal/clock"
)

// The worker's waits on time (heartbeats, the shutdown timeout, the pause
// between reconnect attempts) run on Config.Clock, so a test or scenario
// can run a real worker on a clock.Fake. Deadlines on network I/O stay on
// the wall clock: they bound real round trips.

// reconnectBackoff is the reconnect backoff autopaho uses: attempt 0, the
// first connection after a loss, is immediate; later attempts wait between
// 100ms and a bound that grows to 5s.
var reconnectBackoff = autopaho.NewExponentialBackoff(100*time.Millisecond, 5*time.Second, 500*time.Millisecond, 2)

// backoffOnClock turns backoff into one that waits on the worker's clock:
// it waits itself, until the delay has passed or the connection is being
// shut down, and returns zero so autopaho's own wall-clock wait is empty.
func (w *Worker) backoffOnClock(backoff autopaho.Backoff) autopaho.Backoff {
	return func(attempt int) time.Duration {
		d := backoff(attempt)
		if d <= 0 {
			return 0
		}
		elapsed, t := w.after(d)
		defer t.Stop()
		select {
		case <-elapsed:
		case <-w.connCtx.Done():
		}
		return 0
	}
}

// after returns a channel that is closed once d has passed on the worker's
// clock, and the timer that closes it, to stop if the wait ends sooner.
func (w *Worker) after(d time.Duration) (<-chan struct{}, clock.Timer) {
	elapsed := make(chan struct{})
	return elapsed, w.cfg.Clock.AfterFunc(d, func() { close(elapsed) })
}
