package emulator_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/internal/faultlink"
	"github.com/stepwire/stepwire/internal/hop"
	"github.com/stepwire/stepwire/internal/jobwire"
	"github.com/stepwire/stepwire/worker"
)

// A worker that dies mid-job (its host lost, its process killed: nothing it
// could say reaches the broker again) stops heartbeating, and the task
// fails with States.Timeout HeartbeatSeconds after the last heartbeat that
// arrived (docs/step-functions.md §3.3 C). Before that, its heartbeats keep
// the task alive past HeartbeatSeconds. All on the fake clock.
func TestKilledWorkerTimesOutAfterHeartbeatSeconds(t *testing.T) {
	beats := make(chan struct{}, 16)
	srv := emulatortest.New(t, emulatortest.WithTemplate(templatePath), emulatortest.WithFakeClock(),
		emulatortest.WithLogger(slog.New(&hopWatch{hop: "complete", op: "SendTaskHeartbeat", seen: beats})))
	c := sfn.NewFromConfig(srv.AWSConfig())
	sm := *createMachine(t, c, "heartbeats", `{"StartAt":"Job","States":{"Job":{"Type":"Task",
		"Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","HeartbeatSeconds":30,
		"Parameters":{"FunctionName":"SendToWorkerFunction","Payload":{"Input.$":"$","TaskToken.$":"$$.Task.Token",
		"executionArn.$":"$$.Execution.Id","heartbeatSeconds":30}},"End":true}}}`)

	link, err := faultlink.New(srv.Endpoints().MQTT)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(link.Close)
	jobs, _ := blockingWorkerAt(t, srv, link.Addr())
	arn := start(t, c, sm, `{"a":1,"b":2}`)
	receiveJob(t, jobs)
	waitArmed(t, srv, 2) // the task's heartbeat timeout and the worker's heartbeat ticker

	// The worker heartbeats every 10 s (a third of 30 s): at 10, 20 and
	// 30 s. Each reaches Step Functions, and moves the task's heartbeat
	// deadline to 30 s later, before the clock moves on.
	started := aws.ToTime(describe(t, c, arn).StartDate)
	for i := range 3 {
		srv.Clock.Advance(10 * time.Second)
		waitBeat(t, beats)
		waitHeartbeatDeadline(t, srv, arn, started.Add(time.Duration(i+1)*10*time.Second+30*time.Second))
	}
	if d := describe(t, c, arn); d.Status != types.ExecutionStatusRunning {
		t.Fatalf("at 30 s with heartbeats the execution is %s, want RUNNING", d.Status)
	}

	link.Cut() // the worker is gone: no more heartbeats arrive
	srv.Clock.AdvanceTo(started.Add(59 * time.Second))
	if d := describe(t, c, arn); d.Status != types.ExecutionStatusRunning {
		t.Fatalf("at 59 s, 29 s after the last heartbeat, the execution is %s, want RUNNING", d.Status)
	}
	srv.Clock.AdvanceTo(started.Add(60 * time.Second))
	d := waitDone(t, c, arn)
	if d.Status != types.ExecutionStatusFailed || aws.ToString(d.Error) != "States.Timeout" {
		t.Fatalf("status %s error %q, want FAILED States.Timeout", d.Status, aws.ToString(d.Error))
	}
	if got := aws.ToTime(d.StopDate).Sub(aws.ToTime(d.StartDate)); got != 60*time.Second {
		t.Errorf("timed out at %v of virtual time, want 60s (the last heartbeat at 30s + HeartbeatSeconds)", got)
	}
}

// A rolling update: the worker drains (SIGTERM), its running job outlives
// --drain-timeout and fails with Worker.ShuttingDown, the state machine's
// Retry dispatches the job again, the retry waits in the thing's
// persistent session while no worker is connected, and the replacement
// worker (same thing, new certificate) takes it and succeeds
// (worker/drain.go; docs/step-functions.md on Retry).
func TestDrainedJobRetriesOnTheNextWorker(t *testing.T) {
	srv := emulatortest.New(t, emulatortest.WithTemplate(templatePath), emulatortest.WithFakeClock())
	c := sfn.NewFromConfig(srv.AWSConfig())
	sm := *createMachine(t, c, "retry-shutdown", `{"StartAt":"Job","States":{"Job":{"Type":"Task",
		"Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
		"Parameters":{"FunctionName":"SendToWorkerFunction","Payload":{"Input.$":"$","TaskToken.$":"$$.Task.Token",
		"executionArn.$":"$$.Execution.Id"}},
		"Retry":[{"ErrorEquals":["Worker.ShuttingDown"],"IntervalSeconds":5,"MaxAttempts":2}],
		"ResultPath":"$.lambdaOutput","End":true}}}`)

	jobs, _ := blockingWorkerAt(t, srv, "")
	old := lastWorker
	arn := start(t, c, sm, `{"a":15,"b":42}`)
	receiveJob(t, jobs)

	old.Drain()
	waitArmed(t, srv, 1) // the drain timeout: the execution itself waits on no timer
	srv.Clock.Advance(10 * time.Second)
	waitHistory(t, c, arn, types.HistoryEventTypeTaskFailed)
	waitArmed(t, srv, 1)               // the retry's timer, armed just after TaskFailed is logged
	srv.Clock.Advance(5 * time.Second) // Retry's IntervalSeconds: the job is dispatched again
	waitHistoryCount(t, c, arn, types.HistoryEventTypeTaskSubmitted, 2)

	startWorker(t, srv) // the replacement, with the sample's add handler
	d := waitDone(t, c, arn)
	if d.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("status %s error %q cause %q, want SUCCEEDED", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
	}
	if got, want := aws.ToString(d.Output), `{"a":15,"b":42,"lambdaOutput":{"result":57}}`; got != want {
		t.Errorf("output = %s, want %s", got, want)
	}
	failed := historyOf(t, c, arn, types.HistoryEventTypeTaskFailed)
	if len(failed) != 1 || aws.ToString(failed[0].TaskFailedEventDetails.Error) != worker.FailureWorkerShutdown {
		t.Fatalf("TaskFailed events = %+v, want one %s", failed, worker.FailureWorkerShutdown)
	}
}

// lastWorker is the worker blockingWorkerAt started last.
var lastWorker *worker.Worker

// blockingWorkerAt is blockingWorker with the broker reached at endpoint
// ("" for the emulator's own), a drain timeout of 10 s and a publish
// timeout of 1 s.
func blockingWorkerAt(t *testing.T, srv *emulatortest.Server, endpoint string) (<-chan jobwire.Job, <-chan error) {
	t.Helper()
	jobs, causes := make(chan jobwire.Job, 4), make(chan error, 4)
	h := worker.HandlerFunc(func(ctx context.Context, job jobwire.Job) (json.RawMessage, error) {
		jobs <- job
		<-ctx.Done()
		causes <- context.Cause(ctx)
		return nil, ctx.Err()
	})
	lastWorker = srv.StartWorker(worker.Config{ClientID: thing, Endpoint: endpoint, SubscribeTopic: "tenant1/to/worker",
		SubmitTopic: "tenant1/to/lambda", DrainTimeout: 10 * time.Second,
		PublishTimeout: time.Second}, policy, h) // short: the killed worker's last reports wait for a broker that is gone
	return jobs, causes
}

func describe(t *testing.T, c *sfn.Client, arn string) *sfn.DescribeExecutionOutput {
	t.Helper()
	d, err := c.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func historyOf(t *testing.T, c *sfn.Client, arn string, typ types.HistoryEventType) []types.HistoryEvent {
	t.Helper()
	h, err := c.GetExecutionHistory(context.Background(), &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	var out []types.HistoryEvent
	for _, e := range h.Events {
		if e.Type == typ {
			out = append(out, e)
		}
	}
	return out
}

func waitHistory(t *testing.T, c *sfn.Client, arn string, typ types.HistoryEventType) {
	t.Helper()
	waitHistoryCount(t, c, arn, typ, 1)
}

// waitHistoryCount polls the history until it holds n events of typ.
func waitHistoryCount(t *testing.T, c *sfn.Client, arn string, typ types.HistoryEventType, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(historyOf(t, c, arn, typ)) < n {
		if time.Now().After(deadline) {
			t.Fatalf("no %d %s events after 10s", n, typ)
		}
		time.Sleep(2 * time.Millisecond) // polling interval, not synchronisation
	}
}

// waitArmed polls until the fake clock has at least n timers armed.
func waitArmed(t *testing.T, srv *emulatortest.Server, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for srv.Clock.Pending() < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d timers armed after 10s, want %d", srv.Clock.Pending(), n)
		}
		time.Sleep(time.Millisecond) // polling interval, not synchronisation
	}
}

// waitHeartbeatDeadline polls until the execution's heartbeat timer is due
// at want.
func waitHeartbeatDeadline(t *testing.T, srv *emulatortest.Server, arn string, want time.Time) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ds, err := srv.SFN.Deadlines(arn)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if d.Kind == "heartbeat" && d.At.Equal(want) {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("heartbeat deadline not at %v after 10s (timers %+v)", want, ds)
		}
		time.Sleep(time.Millisecond) // polling interval, not synchronisation
	}
}

func waitBeat(t *testing.T, beats <-chan struct{}) {
	t.Helper()
	select {
	case <-beats:
	case <-time.After(10 * time.Second):
		t.Fatal("no heartbeat reached Step Functions within 10s")
	}
}

// hopWatch is a slog handler that signals seen for each hop record named
// hop whose "op" attribute is op.
type hopWatch struct {
	hop, op string
	seen    chan<- struct{}
}

func (h *hopWatch) Enabled(context.Context, slog.Level) bool { return true }
func (h *hopWatch) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *hopWatch) WithGroup(string) slog.Handler            { return h }

func (h *hopWatch) Handle(_ context.Context, r slog.Record) error {
	var name, op string
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case hop.Key:
			name = a.Value.String()
		case "op":
			op = a.Value.String()
		}
		return true
	})
	if r.Message == hop.Message && name == h.hop && op == h.op {
		h.seen <- struct{}{}
	}
	return nil
}
