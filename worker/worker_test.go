package worker

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"testing"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/stepwire/stepwire/internal/jobwire"
)

const (
	jobTopic    = "tenant1/to/worker"
	resultTopic = "tenant1/to/lambda"
)

// startWorker runs a worker with h against a fresh mTLS broker, waits until
// it is subscribed, and stops it at the end of the test. It returns the
// broker and a function that stops the worker and returns Run's error.
func startWorker(t testing.TB, h Handler, opts ...func(*Config, *testBroker)) (*testBroker, func() error) {
	t.Helper()
	b, _, stop := startWorkerLogged(t, h, discardLogger(), opts...)
	return b, stop
}

// startWorkerLogged is startWorker with the worker's logger and the Worker.
func startWorkerLogged(t testing.TB, h Handler, logger *slog.Logger, opts ...func(*Config, *testBroker)) (*testBroker, *Worker, func() error) {
	t.Helper()
	cfg, b := testConfig(t)
	for _, o := range opts {
		o(&cfg, b)
	}
	w, stop, _ := runWorker(t, cfg, h, logger)
	return b, w, stop
}

// testConfig starts a fresh mTLS broker and returns the configuration of a
// worker for it.
func testConfig(t testing.TB) (Config, *testBroker) {
	t.Helper()
	pki := newTestPKI(t, "worker-1")
	b := newTestBroker(t, pki)
	return Config{
		Endpoint:       "mqtts://" + b.addr,
		CAFile:         pki.caFile,
		CertFile:       pki.certFile,
		KeyFile:        pki.keyFile,
		ClientID:       "worker-1",
		SubscribeTopic: jobTopic,
		SubmitTopic:    resultTopic,
	}, b
}

// runWorker runs a worker with cfg, waits until it is subscribed, and stops
// it at the end of the test. It returns the Worker, a function that stops it
// (cancels Run's context) and returns Run's error, and a channel closed
// when Run has returned, on its own or stopped.
func runWorker(t testing.TB, cfg Config, h Handler, logger *slog.Logger) (*Worker, func() error, <-chan struct{}) {
	t.Helper()
	w, err := New(cfg, h, logger)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	exited := make(chan struct{})
	var runErr error // set before exited is closed
	go func() {
		defer close(exited)
		runErr = w.Run(ctx)
	}()
	stop := func() error {
		cancel()
		select {
		case <-exited:
			return runErr
		case <-time.After(20 * time.Second):
			t.Fatal("Run did not return after cancel")
			return nil
		}
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	select {
	case <-w.Ready():
	case <-exited:
		t.Fatalf("Run returned before ready: %v", runErr)
	case <-time.After(10 * time.Second):
		t.Fatal("worker not ready within 10s")
	}
	return w, stop, exited
}

func parse(t testing.TB, msg string) jobwire.Result {
	t.Helper()
	r, err := jobwire.ParseResult([]byte(msg))
	if err != nil {
		t.Fatalf("ParseResult(%s): %v", msg, err)
	}
	return r
}

func TestWorkerOverMTLS(t *testing.T) {
	b, _ := startWorker(t, DefaultHandler())
	results := b.subscribe(t, resultTopic)

	tests := []struct {
		name, job, want string
	}{
		{"sample add", `{"Input":{"a":15,"b":42},"TaskToken":"tok-1"}`, `{"version":1,"TaskToken":"tok-1","result":57}`},
		{"bad input", `{"Input":{"a":"x","b":42},"TaskToken":"tok-2"}`,
			`{"version":1,"TaskToken":"tok-2","kind":"failure","error":"InvalidInput","cause":"field \"a\" must be a number, got \"x\""}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b.publish(t, jobTopic, tt.job)
			if got := receive(t, results); got != tt.want {
				t.Fatalf("result:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestWorkerCancelMessage(t *testing.T) {
	tests := []struct{ name, cancel string }{
		{"by job id", `{"kind":"cancel","jobId":"job-7","reason":"execution stopped"}`},
		{"by task token", `{"kind":"cancel","TaskToken":"tok-c","reason":"execution stopped"}`},
		{"by execution ARN", `{"kind":"cancel","executionArn":"arn:aws:states:us-east-1:123456789012:execution:sm:e1","reason":"execution stopped"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			started := make(chan struct{})
			causes := make(chan error, 1)
			h := HandlerFunc(func(ctx context.Context, job jobwire.Job) (json.RawMessage, error) {
				close(started)
				<-ctx.Done()
				causes <- context.Cause(ctx)
				return nil, ctx.Err()
			})
			b, _ := startWorker(t, h)
			results := b.subscribe(t, resultTopic)

			b.publish(t, jobTopic, `{"Input":{},"TaskToken":"tok-c","jobId":"job-7","executionArn":"arn:aws:states:us-east-1:123456789012:execution:sm:e1"}`)
			waitClosed(t, started)
			b.publish(t, jobTopic+"/control", tt.cancel)

			var ce *cancelledError
			select {
			case cause := <-causes:
				if !errors.As(cause, &ce) {
					t.Fatalf("job context cause = %v, want a cancel", cause)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("job context not cancelled within 10s")
			}
			r := parse(t, receive(t, results))
			if r.Kind != jobwire.KindFailure || r.Error != FailureJobCancelled || r.TaskToken != "tok-c" ||
				r.Cause != "job cancelled: execution stopped" {
				t.Fatalf("result = %+v, want JobCancelled for tok-c", r)
			}
		})
	}
}

func TestWorkerHeartbeats(t *testing.T) {
	release := make(chan struct{})
	h := HandlerFunc(func(ctx context.Context, job jobwire.Job) (json.RawMessage, error) {
		<-release
		return json.RawMessage(`"done"`), nil
	})
	b, _ := startWorker(t, h)
	results := b.subscribe(t, resultTopic)

	// heartbeatSeconds 1 means a heartbeat every third of a second.
	b.publish(t, jobTopic, `{"Input":{},"TaskToken":"tok-h","heartbeatSeconds":1}`)
	for range 2 {
		if r := parse(t, receive(t, results)); r.Kind != jobwire.KindHeartbeat || r.TaskToken != "tok-h" {
			t.Fatalf("got %+v, want a heartbeat for tok-h", r)
		}
	}
	close(release)
	for {
		r := parse(t, receive(t, results))
		if r.Kind == jobwire.KindHeartbeat {
			continue // one may have been in flight
		}
		if r.Kind != jobwire.KindSuccess || string(r.Result) != `"done"` {
			t.Fatalf("got %+v, want the success", r)
		}
		return
	}
}

func TestWorkerShutdownReportsRunningJobs(t *testing.T) {
	started := make(chan struct{})
	h := HandlerFunc(func(ctx context.Context, job jobwire.Job) (json.RawMessage, error) {
		close(started)
		<-ctx.Done()
		return nil, ctx.Err()
	})
	b, stop := startWorker(t, h)
	results := b.subscribe(t, resultTopic)

	b.publish(t, jobTopic, `{"Input":{},"TaskToken":"tok-s"}`)
	waitClosed(t, started)
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	r := parse(t, receive(t, results))
	if r.Kind != jobwire.KindFailure || r.Error != FailureWorkerShutdown {
		t.Fatalf("result = %+v, want WorkerShutdown", r)
	}
}

func TestWorkerIgnoresJunk(t *testing.T) {
	b, _ := startWorker(t, DefaultHandler())
	results := b.subscribe(t, resultTopic)
	b.publish(t, jobTopic, `not json`)
	b.publish(t, jobTopic, `{"Input":{"a":1,"b":2}}`)
	b.publish(t, jobTopic+"/control", `{"kind":"cancel","TaskToken":"nobody"}`)
	b.publish(t, jobTopic, `{"Input":{"a":1,"b":2},"TaskToken":"tok-after"}`)
	if r := parse(t, receive(t, results)); r.TaskToken != "tok-after" || string(r.Result) != "3" {
		t.Fatalf("result = %+v, want 3 for tok-after", r)
	}
}

// waitClosed waits for a value on ch or for ch to be closed.
func waitClosed(t testing.TB, ch <-chan struct{}) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatal("handler did not start within 10s")
	}
}

// A handler's progress is published retained, at QoS 1, on the job's
// progress topic, and cleared with an empty retained publish once the
// job's outcome is out (docs/iot-core.md §3.3: a 0-byte retained publish
// deletes the retained message).
func TestWorkerReportsProgress(t *testing.T) {
	h := HandlerFunc(func(ctx context.Context, job jobwire.Job) (json.RawMessage, error) {
		if err := ReportProgress(ctx, map[string]int{"done": 1, "of": 2}); err != nil {
			return nil, err
		}
		return json.RawMessage(`2`), nil
	})
	b, _ := startWorker(t, h)
	results := b.subscribe(t, resultTopic)
	job := jobwire.Job{TaskToken: "tok-p", JobID: "j1", ExecutionArn: "arn:aws:states:us-east-1:123456789012:execution:sm:run-1"}
	topic := jobwire.ProgressTopic(resultTopic, job)
	type message struct {
		payload string
		retain  bool
		qos     byte
	}
	progress := make(chan message, 4)
	if err := b.srv.Subscribe(topic, 1, func(_ *mqtt.Client, _ packets.Subscription, pk packets.Packet) {
		progress <- message{string(pk.Payload), pk.FixedHeader.Retain, pk.FixedHeader.Qos}
	}); err != nil {
		t.Fatal(err)
	}
	b.publish(t, jobTopic, `{"Input":{},"TaskToken":"tok-p","jobId":"j1","executionArn":"`+job.ExecutionArn+`"}`)

	want := message{`{"version":1,"TaskToken":"tok-p","kind":"progress","progress":{"done":1,"of":2},` +
		`"executionArn":"arn:aws:states:us-east-1:123456789012:execution:sm:run-1","jobId":"j1"}`, true, 1}
	if got := receiveMessage(t, progress); got != want {
		t.Fatalf("progress:\n got %+v\nwant %+v", got, want)
	}
	if r := parse(t, receive(t, results)); r.Kind != jobwire.KindSuccess || string(r.Result) != "2" {
		t.Fatalf("result = %+v, want success 2", r)
	}
	if got := receiveMessage(t, progress); got.payload != "" || !got.retain {
		t.Fatalf("after the result: %+v, want an empty retained publish", got)
	}
	if _, ok := b.srv.Topics.Retained.Get(topic); ok {
		t.Fatalf("a retained message is left on %s", topic)
	}
	if err := ReportProgress(context.Background(), 1); !errors.Is(err, ErrNoJob) {
		t.Fatalf("ReportProgress outside a job = %v, want ErrNoJob", err)
	}
}

func receiveMessage[M any](t *testing.T, ch <-chan M) M {
	t.Helper()
	select {
	case m := <-ch:
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("no message within 10s")
		var zero M
		return zero
	}
}

// A job published while the worker is offline waits in its persistent
// session and runs when the worker reconnects, which also resubscribes.
func TestWorkerSessionSurvivesDisconnect(t *testing.T) {
	readies := make(chan struct{}, 4)
	b, _ := startWorker(t, DefaultHandler(), func(c *Config, _ *testBroker) {
		c.OnReady = func() { readies <- struct{}{} }
	})
	waitClosed(t, readies) // the first connection
	results := b.subscribe(t, resultTopic)

	b.allow.refuse.Store(true)
	b.kick(t, "worker-1")
	waitFor(t, "the worker's session to go offline", func() bool {
		cl, ok := b.srv.Clients.Get("worker-1")
		return ok && cl.Closed()
	})
	b.publish(t, jobTopic, `{"Input":{"a":15,"b":42},"TaskToken":"tok-offline"}`)
	b.allow.refuse.Store(false)

	waitClosed(t, readies) // reconnected and subscribed again
	if got, want := receive(t, results), `{"version":1,"TaskToken":"tok-offline","result":57}`; got != want {
		t.Fatalf("result:\n got %s\nwant %s", got, want)
	}
	b.publish(t, jobTopic, `{"Input":{"a":1,"b":1},"TaskToken":"tok-online"}`)
	if got, want := receive(t, results), `{"version":1,"TaskToken":"tok-online","result":2}`; got != want {
		t.Fatalf("result after reconnect:\n got %s\nwant %s", got, want)
	}
}

// A refused control subscription is logged; the worker still runs jobs.
func TestWorkerSurvivesDeniedControlSubscription(t *testing.T) {
	b, _ := startWorker(t, DefaultHandler(), func(_ *Config, b *testBroker) {
		deny := jobTopic + "/control"
		b.allow.denyRead.Store(&deny)
	})
	results := b.subscribe(t, resultTopic)
	b.publish(t, jobTopic, `{"Input":{"a":2,"b":3},"TaskToken":"tok-d"}`)
	if got, want := receive(t, results), `{"version":1,"TaskToken":"tok-d","result":5}`; got != want {
		t.Fatalf("result:\n got %s\nwant %s", got, want)
	}
}

// waitFor polls cond until it holds, failing the test after 10s.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond) // polling interval, not synchronisation
	}
}
