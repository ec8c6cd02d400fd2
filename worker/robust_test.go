package worker

import (
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/stepwire/stepwire/internal/jobwire"
)

func TestHeartbeatInterval(t *testing.T) {
	tests := []struct {
		seconds int
		want    time.Duration
		ok      bool
	}{
		{0, 0, false},
		{-5, 0, false},
		{1, time.Second / 3, true},
		{3, time.Second, true},
		{MaxHeartbeatSeconds, time.Duration(MaxHeartbeatSeconds) * time.Second / 3, true},
		{MaxHeartbeatSeconds + 1, 0, false},
		{9_300_000_000, 0, false}, // overflows time.Duration when multiplied by time.Second
	}
	for _, tt := range tests {
		got, ok := heartbeatInterval(tt.seconds)
		if got != tt.want || ok != tt.ok {
			t.Errorf("heartbeatInterval(%d) = %v, %v; want %v, %v", tt.seconds, got, ok, tt.want, tt.ok)
		}
		if ok && got <= 0 {
			t.Errorf("heartbeatInterval(%d) = %v, not positive", tt.seconds, got)
		}
	}
}

// A heartbeat interval beyond the ASL maximum fails the job at once instead
// of crashing the worker; a non-positive one means no heartbeats.
func TestWorkerRejectsBadHeartbeatSeconds(t *testing.T) {
	b, _ := startWorker(t, DefaultHandler())
	results := b.subscribe(t, resultTopic)

	b.publish(t, jobTopic, `{"Input":{"a":1,"b":2},"TaskToken":"tok-big","heartbeatSeconds":9300000000}`)
	r := parse(t, receive(t, results))
	if r.Kind != jobwire.KindFailure || r.Error != FailureInvalidJob || r.TaskToken != "tok-big" {
		t.Fatalf("result = %+v, want InvalidJob for tok-big", r)
	}
	b.publish(t, jobTopic, `{"Input":{"a":1,"b":2},"TaskToken":"tok-huge","heartbeatSeconds":1e30}`)
	r = parse(t, receive(t, results))
	if r.Kind != jobwire.KindFailure || r.Error != FailureInvalidJob || r.TaskToken != "tok-huge" {
		t.Fatalf("result = %+v, want InvalidJob for tok-huge", r)
	}
	b.publish(t, jobTopic, `{"Input":{"a":1,"b":2},"TaskToken":"tok-neg","heartbeatSeconds":-5}`)
	if got, want := receive(t, results), `{"version":1,"TaskToken":"tok-neg","result":3}`; got != want {
		t.Fatalf("result:\n got %s\nwant %s", got, want)
	}
}

// panicky is a slog handler that panics on hop records whose attributes
// (its own or the record's) include key=value: a stand-in for any fault in
// code the worker's goroutines run outside a Handler.
type panicky struct {
	key, value string
	attrs      []slog.Attr
}

func (h *panicky) Enabled(context.Context, slog.Level) bool { return true }

func (h *panicky) Handle(_ context.Context, r slog.Record) error {
	match := func(a slog.Attr) bool { return a.Key == h.key && a.Value.String() == h.value }
	hit := false
	for _, a := range h.attrs {
		hit = hit || match(a)
	}
	r.Attrs(func(a slog.Attr) bool { hit = hit || match(a); return true })
	if hit && r.Message == "hop" {
		panic("logger fault on " + h.key + "=" + h.value)
	}
	return nil
}

func (h *panicky) WithAttrs(as []slog.Attr) slog.Handler {
	return &panicky{key: h.key, value: h.value, attrs: append(append([]slog.Attr(nil), h.attrs...), as...)}
}

func (h *panicky) WithGroup(string) slog.Handler { return h }

// A panic on paho's receive goroutine, while a job is being accepted,
// becomes a WorkerPanic failure for that job; the worker keeps running.
func TestWorkerSurvivesPanicReceivingJob(t *testing.T) {
	b, _, _ := startWorkerLogged(t, DefaultHandler(), slog.New(&panicky{key: "hop", value: "worker-received"}))
	results := b.subscribe(t, resultTopic)

	b.publish(t, jobTopic, `{"Input":{"a":1,"b":2},"TaskToken":"tok-r"}`)
	r := parse(t, receive(t, results))
	if r.Kind != jobwire.KindFailure || r.Error != FailureWorkerPanic || r.TaskToken != "tok-r" {
		t.Fatalf("result = %+v, want WorkerPanic for tok-r", r)
	}
	b.publish(t, jobTopic, `{"Input":{"a":1,"b":2},"TaskToken":"tok-r2"}`)
	if r := parse(t, receive(t, results)); r.TaskToken != "tok-r2" || r.Error != FailureWorkerPanic {
		t.Fatalf("second job: %+v, want WorkerPanic again (the worker survived the first)", r)
	}
}

// A panic in the heartbeat goroutine cancels the job and reports one
// WorkerPanic failure, not a second message when the handler returns.
func TestWorkerSurvivesPanicInHeartbeats(t *testing.T) {
	stopped := make(chan struct{})
	h := HandlerFunc(func(ctx context.Context, job jobwire.Job) (json.RawMessage, error) {
		<-ctx.Done()
		close(stopped)
		return nil, ctx.Err()
	})
	b, _, stop := startWorkerLogged(t, h, slog.New(&panicky{key: "kind", value: string(jobwire.KindHeartbeat)}))
	results := b.subscribe(t, resultTopic)

	b.publish(t, jobTopic, `{"Input":{},"TaskToken":"tok-hb","heartbeatSeconds":1}`)
	r := parse(t, receive(t, results))
	if r.Kind != jobwire.KindFailure || r.Error != FailureWorkerPanic || r.TaskToken != "tok-hb" {
		t.Fatalf("result = %+v, want WorkerPanic for tok-hb", r)
	}
	waitClosed(t, stopped)
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	select {
	case m := <-results:
		t.Fatalf("second message after the failure: %s", m)
	default:
	}
}
