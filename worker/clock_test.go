package worker

import (
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/stepwire/stepwire/internal/clock"
	"github.com/stepwire/stepwire/internal/jobwire"
)

var virtualStart = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// onClock runs the worker on c.
func onClock(c clock.Clock) func(*Config, *testBroker) {
	return func(cfg *Config, _ *testBroker) { cfg.Clock = c }
}

// waitTimer waits until the worker has armed a timer on c, the wait it
// reaches next, and returns its delay from now.
func waitTimer(t testing.TB, c *clock.Fake, what string) time.Duration {
	t.Helper()
	waitFor(t, what, func() bool { return c.Pending() == 1 })
	next, _ := c.Next()
	return next.Sub(c.Now())
}

// A job that asks for heartbeats within 30s gets one every 10s of the
// worker's clock, and only then: three intervals of virtual time, three
// heartbeats, in no time at all.
func TestWorkerHeartbeatsOnVirtualTime(t *testing.T) {
	c := clock.NewFake(virtualStart)
	release := make(chan struct{})
	h := HandlerFunc(func(ctx context.Context, job jobwire.Job) (json.RawMessage, error) {
		<-release
		return json.RawMessage(`"done"`), nil
	})
	b, _ := startWorker(t, h, onClock(c))
	results := b.subscribe(t, resultTopic)

	b.publish(t, jobTopic, `{"Input":{},"TaskToken":"tok-v","heartbeatSeconds":30}`)
	for i := range 3 {
		if d := waitTimer(t, c, "the heartbeat ticker"); d != 10*time.Second {
			t.Fatalf("heartbeat %d due in %v, want 10s", i+1, d)
		}
		c.Advance(10 * time.Second)
		if r := parse(t, receive(t, results)); r.Kind != jobwire.KindHeartbeat || r.TaskToken != "tok-v" {
			t.Fatalf("after interval %d got %+v, want a heartbeat for tok-v", i+1, r)
		}
	}
	close(release)
	if r := parse(t, receive(t, results)); r.Kind != jobwire.KindSuccess || string(r.Result) != `"done"` {
		t.Fatalf("got %+v, want the success and no heartbeat while the clock stood still", r)
	}
	if n := c.Pending(); n != 0 {
		t.Fatalf("%d timer(s) armed after the job ended, want the ticker stopped", n)
	}
}

// A job that ignores cancellation holds the shutdown for ShutdownTimeout
// of the worker's clock, and no longer: Run returns once the fake clock
// reaches the timeout.
func TestWorkerShutdownTimeoutOnVirtualTime(t *testing.T) {
	c := clock.NewFake(virtualStart)
	started, release := make(chan struct{}), make(chan struct{})
	t.Cleanup(func() { close(release) })
	h := HandlerFunc(func(ctx context.Context, job jobwire.Job) (json.RawMessage, error) {
		close(started)
		<-release
		return nil, ctx.Err()
	})
	var logs syncBuffer
	b, _, stop := startWorkerLogged(t, h, slog.New(slog.NewJSONHandler(&logs, nil)), onClock(c),
		func(cfg *Config, _ *testBroker) { cfg.ShutdownTimeout = time.Minute })
	b.publish(t, jobTopic, `{"Input":{},"TaskToken":"tok-stuck"}`)
	waitClosed(t, started)

	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	if d := waitTimer(t, c, "the shutdown timeout"); d != time.Minute {
		t.Fatalf("shutdown timeout due in %v, want 1m", d)
	}
	select {
	case err := <-stopped:
		t.Fatalf("Run returned (%v) before the shutdown timeout", err)
	default:
	}
	c.Advance(time.Minute)
	select {
	case err := <-stopped:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after the virtual shutdown timeout")
	}
	if !logged(logs.lines(), "jobs still running at shutdown") {
		t.Fatal("no warning about the job still running at shutdown")
	}
}

// After losing its connection the worker reconnects at once, and, when that
// fails, waits between attempts on its clock: it is back only once the fake
// clock passes the backoff.
func TestWorkerReconnectBackoffOnVirtualTime(t *testing.T) {
	c := clock.NewFake(virtualStart)
	readies := make(chan struct{}, 4)
	b, _ := startWorker(t, DefaultHandler(), onClock(c), func(cfg *Config, _ *testBroker) {
		cfg.OnReady = func() { readies <- struct{}{} }
	})
	waitClosed(t, readies) // the first connection

	b.allow.refuse.Store(true)
	b.kick(t, "worker-1")
	d := waitTimer(t, c, "the wait before the second reconnect attempt")
	if d < 100*time.Millisecond || d > 500*time.Millisecond {
		t.Fatalf("reconnect backoff %v, want within [100ms, 500ms]", d)
	}
	b.allow.refuse.Store(false)
	select {
	case <-readies:
		t.Fatal("reconnected before the backoff passed on the worker's clock")
	default:
	}
	c.Advance(d)
	waitClosed(t, readies)
}

func logged(lines []map[string]any, msg string) bool {
	for _, l := range lines {
		if l["msg"] == msg {
			return true
		}
	}
	return false
}
