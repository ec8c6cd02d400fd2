package worker_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/internal/jobwire"
	"github.com/stepwire/stepwire/worker"
)

// activityMachine creates an activity and a machine whose one Task is that
// activity, with HeartbeatSeconds 1 and the job envelope as Parameters.
func activityMachine(t *testing.T) (*sfn.Client, string, string) {
	t.Helper()
	srv := emulatortest.New(t)
	c := sfn.NewFromConfig(srv.AWSConfig())
	ctx := context.Background()
	act, err := c.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("jobs")})
	if err != nil {
		t.Fatal(err)
	}
	def := `{"StartAt": "Job", "States": {"Job": {"Type": "Task", "Resource": "` + aws.ToString(act.ActivityArn) + `",
	  "HeartbeatSeconds": 1, "Parameters": {"Input.$": "$", "jobType.$": "$.type", "jobId.$": "$$.Execution.Name", "heartbeatSeconds": 1},
	  "ResultPath": "$.out", "End": true}}}`
	sm, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("activity"), Definition: aws.String(def),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/r")})
	if err != nil {
		t.Fatal(err)
	}
	return c, aws.ToString(act.ActivityArn), aws.ToString(sm.StateMachineArn)
}

func runActivityWorker(t *testing.T, cfg worker.ActivityConfig, h worker.Handler) *worker.ActivityWorker {
	t.Helper()
	w, err := worker.NewActivity(cfg, h, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = w.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	<-w.Ready()
	return w
}

func start(t *testing.T, c *sfn.Client, machine, name, input string) string {
	t.Helper()
	out, err := c.StartExecution(context.Background(), &sfn.StartExecutionInput{StateMachineArn: aws.String(machine),
		Name: aws.String(name), Input: aws.String(input)})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.ExecutionArn)
}

func waitEnded(t *testing.T, c *sfn.Client, arn string) *sfn.DescribeExecutionOutput {
	t.Helper()
	var d *sfn.DescribeExecutionOutput
	poll(t, "the execution to end", func() bool {
		var err error
		d, err = c.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		return err == nil && d.Status != types.ExecutionStatusRunning
	})
	return d
}

// An activity worker runs the jobs of GetActivityTask with the worker's
// handlers: a job that outlives HeartbeatSeconds lives on its heartbeats
// and succeeds with {"result": ...}; a failing job fails the task with its
// name; a job that does not heartbeat times out.
func TestActivityWorker(t *testing.T) {
	c, act, machine := activityMachine(t)
	h := worker.NewRegistry(nil)
	h.Register("add", worker.HandlerFunc(func(ctx context.Context, job jobwire.Job) (json.RawMessage, error) {
		time.Sleep(1500 * time.Millisecond) // past HeartbeatSeconds: the heartbeats keep the task
		return worker.Add(ctx, job)
	}))
	h.Register("quiet", worker.HandlerFunc(func(ctx context.Context, job jobwire.Job) (json.RawMessage, error) {
		if err := worker.StopHeartbeats(ctx); err != nil {
			return nil, err
		}
		<-ctx.Done() // no heartbeat tells it the task is gone: it waits for the shutdown
		return nil, ctx.Err()
	}))
	w := runActivityWorker(t, worker.ActivityConfig{ActivityArn: act, WorkerName: "w1", SFN: c}, h)

	sum := start(t, c, machine, "sum", `{"type": "add", "a": 1, "b": 2}`)
	bad := start(t, c, machine, "bad", `{"type": "add", "a": "x"}`)
	quiet := start(t, c, machine, "quiet", `{"type": "quiet"}`)
	if d := waitEnded(t, c, sum); d.Status != types.ExecutionStatusSucceeded || aws.ToString(d.Output) != `{"type":"add","a":1,"b":2,"out":{"result":3}}` {
		t.Errorf("sum: %s %s %s", d.Status, aws.ToString(d.Output), aws.ToString(d.Cause))
	}
	if d := waitEnded(t, c, bad); d.Status != types.ExecutionStatusFailed || aws.ToString(d.Error) != worker.FailureInvalidInput {
		t.Errorf("bad: %s %s", d.Status, aws.ToString(d.Error))
	}
	if d := waitEnded(t, c, quiet); d.Status != types.ExecutionStatusFailed || aws.ToString(d.Error) != "States.Timeout" {
		t.Errorf("quiet: %s %s", d.Status, aws.ToString(d.Error))
	}
	if got := historyCount(t, c, sum, "ActivityStarted"); got != 1 {
		t.Errorf("sum: %d ActivityStarted", got)
	}
	if w.Received() != 3 {
		t.Errorf("Received = %d, want 3", w.Received())
	}
}

// A job whose execution is stopped hears of it at its next heartbeat,
// which the task refuses: the job is cancelled.
func TestActivityWorkerCancelsAJobWhoseTaskIsGone(t *testing.T) {
	c, act, machine := activityMachine(t)
	cancelled := make(chan error, 1)
	started := make(chan struct{})
	h := worker.HandlerFunc(func(ctx context.Context, job jobwire.Job) (json.RawMessage, error) {
		close(started)
		<-ctx.Done()
		cancelled <- context.Cause(ctx)
		return nil, ctx.Err()
	})
	runActivityWorker(t, worker.ActivityConfig{ActivityArn: act, SFN: c}, h)
	arn := start(t, c, machine, "stopped", `{"type": "wait"}`)
	<-started
	if _, err := c.StopExecution(context.Background(), &sfn.StopExecutionInput{ExecutionArn: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-cancelled:
		if err == nil || !strings.Contains(err.Error(), "the task is gone") {
			t.Fatalf("cancel cause %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the job was not cancelled")
	}
}

// A drain stops polling, lets the running job finish for DrainTimeout,
// then fails it with Worker.ShuttingDown, which a Retry can match.
func TestActivityWorkerDrain(t *testing.T) {
	c, act, machine := activityMachine(t)
	started := make(chan struct{})
	h := worker.HandlerFunc(func(ctx context.Context, job jobwire.Job) (json.RawMessage, error) {
		close(started)
		<-ctx.Done()
		return nil, ctx.Err()
	})
	w := runActivityWorker(t, worker.ActivityConfig{ActivityArn: act, SFN: c, DrainTimeout: 100 * time.Millisecond}, h)
	arn := start(t, c, machine, "drained", `{"type": "wait"}`)
	<-started
	w.Drain()
	if d := waitEnded(t, c, arn); aws.ToString(d.Error) != worker.FailureWorkerShutdown {
		t.Fatalf("drained: %s %s", d.Status, aws.ToString(d.Error))
	}
	if w.Polling() != 0 {
		t.Errorf("Polling = %d after the drain", w.Polling())
	}
}

// ActivityJob reads the MQTT job envelope, or takes the input as it is.
func TestActivityJob(t *testing.T) {
	j, err := worker.ActivityJob("tok", `{"Input": {"a": 1}, "jobType": "add", "heartbeatSeconds": 5, "TaskToken": "other"}`, 60)
	if err != nil || j.TaskToken != "tok" || j.JobType != "add" || j.HeartbeatSeconds != 5 || string(j.Input) != `{"a": 1}` {
		t.Errorf("envelope: %+v %v", j, err)
	}
	j, err = worker.ActivityJob("tok", `{"a": 1}`, 60)
	if err != nil || string(j.Input) != `{"a": 1}` || j.HeartbeatSeconds != 60 {
		t.Errorf("plain: %+v %v", j, err)
	}
	if _, err := worker.ActivityJob("tok", `{"Input": {}, "heartbeatSeconds": "soon"}`, 0); !errors.Is(err, jobwire.ErrField) {
		t.Errorf("bad field: %v", err)
	}
}
