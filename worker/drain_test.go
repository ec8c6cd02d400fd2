package worker

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stepwire/stepwire/internal/clock"
	"github.com/stepwire/stepwire/internal/jobwire"
)

// blockingHandler starts jobs, reporting each token on started, and ends
// them when release is closed ("done") or their context is done.
func blockingHandler(started chan<- string, release <-chan struct{}) Handler {
	return HandlerFunc(func(ctx context.Context, job jobwire.Job) (json.RawMessage, error) {
		started <- job.TaskToken
		select {
		case <-release:
			return json.RawMessage(`"done"`), nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	})
}

// drainSetup runs a worker on a fake clock with a one-minute drain timeout
// and h, and returns what the drain tests use.
func drainSetup(t *testing.T, h Handler) (*clock.Fake, Config, *testBroker, *Worker, func() error, <-chan struct{}) {
	t.Helper()
	c := clock.NewFake(virtualStart)
	cfg, b := testConfig(t)
	cfg.Clock, cfg.DrainTimeout = c, time.Minute
	w, stop, exited := runWorker(t, cfg, h, discardLogger())
	return c, cfg, b, w, stop, exited
}

func waitExit(t *testing.T, exited <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		t.Fatalf("Run did not return after %s", what)
	}
}

func notExited(t *testing.T, exited <-chan struct{}, when string) {
	t.Helper()
	select {
	case <-exited:
		t.Fatalf("Run returned %s", when)
	default:
	}
}

// A drain lets the running job finish and report, takes no new job, and
// leaves that job unacknowledged in the session: the next worker with the
// same client ID runs it.
func TestDrainLetsRunningJobFinishAndLeavesNewJobsToTheBroker(t *testing.T) {
	started, release := make(chan string, 4), make(chan struct{})
	c, cfg, b, w, stop, exited := drainSetup(t, blockingHandler(started, release))
	results := b.subscribe(t, resultTopic)

	b.publish(t, jobTopic, `{"Input":{},"TaskToken":"tok-run"}`)
	if tok := <-started; tok != "tok-run" {
		t.Fatalf("started %s", tok)
	}
	w.Drain()
	if d := waitTimer(t, c, "the drain timeout"); d != time.Minute {
		t.Fatalf("drain timeout due in %v, want 1m", d)
	}
	b.publish(t, jobTopic, `{"Input":{"a":1,"b":2},"TaskToken":"tok-late"}`)
	waitFor(t, "the late job to arrive and be left alone", func() bool { return w.Received() == 2 && w.Busy() == 1 })
	notExited(t, exited, "while a job ran")

	close(release)
	if got, want := receive(t, results), `{"version":1,"TaskToken":"tok-run","result":"done"}`; got != want {
		t.Fatalf("result:\n got %s\nwant %s", got, want)
	}
	waitExit(t, exited, "the drained job finished")
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	select {
	case tok := <-started:
		t.Fatalf("job %s started during the drain", tok)
	default:
	}
	if !c.Now().Equal(virtualStart) {
		t.Fatalf("clock moved to %v; the drain needed no timeout", c.Now())
	}

	runWorker(t, cfg, DefaultHandler(), discardLogger())
	if got, want := receive(t, results), `{"version":1,"TaskToken":"tok-late","result":3}`; got != want {
		t.Fatalf("the job left to the broker, on the next worker:\n got %s\nwant %s", got, want)
	}
}

// A job still running when the drain times out is cancelled and fails with
// Worker.ShuttingDown; a second stop cancels it at once, without waiting
// for the timeout.
func TestDrainEndsRunningJobsWithShuttingDown(t *testing.T) {
	tests := []struct {
		name string
		end  func(c *clock.Fake, stop func() error)
		// virtual is how far the clock has moved when the job fails.
		virtual time.Duration
	}{
		{"drain timeout", func(c *clock.Fake, _ func() error) { c.Advance(time.Minute) }, time.Minute},
		{"second stop", func(_ *clock.Fake, stop func() error) { go func() { _ = stop() }() }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			started := make(chan string, 1)
			c, _, b, w, stop, exited := drainSetup(t, blockingHandler(started, nil))
			results := b.subscribe(t, resultTopic)
			b.publish(t, jobTopic, `{"Input":{},"TaskToken":"tok-slow"}`)
			<-started
			w.Drain()
			waitTimer(t, c, "the drain timeout")
			notExited(t, exited, "before the drain timed out")

			tt.end(c, stop)
			r := parse(t, receive(t, results))
			if r.Kind != jobwire.KindFailure || r.Error != "Worker.ShuttingDown" || r.TaskToken != "tok-slow" ||
				r.Cause != "worker is shutting down" {
				t.Fatalf("result = %+v, want Worker.ShuttingDown for tok-slow", r)
			}
			waitExit(t, exited, tt.name)
			if got := c.Now().Sub(virtualStart); got != tt.virtual {
				t.Fatalf("virtual time passed %v, want %v", got, tt.virtual)
			}
		})
	}
}

// A drain with nothing running returns at once.
func TestDrainWithNoJobsReturnsAtOnce(t *testing.T) {
	_, _, _, w, stop, exited := drainSetup(t, DefaultHandler())
	w.Drain()
	w.Drain() // idempotent
	waitExit(t, exited, "an idle drain")
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
}
