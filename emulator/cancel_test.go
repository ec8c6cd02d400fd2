package emulator_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/internal/jobwire"
	"github.com/stepwire/stepwire/worker"
)

// blockingWorker runs a worker whose handler reports each job it starts
// and then blocks until its context is cancelled, reporting the cause.
func blockingWorker(t *testing.T, srv *emulatortest.Server) (started <-chan jobwire.Job, cancelled <-chan error) {
	t.Helper()
	jobs, causes := make(chan jobwire.Job, 4), make(chan error, 4)
	h := worker.HandlerFunc(func(ctx context.Context, job jobwire.Job) (json.RawMessage, error) {
		jobs <- job
		<-ctx.Done()
		causes <- context.Cause(ctx)
		return nil, ctx.Err()
	})
	srv.StartWorker(worker.Config{ClientID: thing, SubscribeTopic: "tenant1/to/worker", SubmitTopic: "tenant1/to/lambda"}, policy, h)
	return jobs, causes
}

func receiveJob(t *testing.T, jobs <-chan jobwire.Job) jobwire.Job {
	t.Helper()
	select {
	case j := <-jobs:
		return j
	case <-time.After(10 * time.Second):
		t.Fatal("the worker got no job within 10s")
		return jobwire.Job{}
	}
}

// requireCancelled waits for the handler's context to be cancelled by the
// cancel Lambda's message for an execution that ended with status.
func requireCancelled(t *testing.T, causes <-chan error, status string) {
	t.Helper()
	select {
	case cause := <-causes:
		if want := "job cancelled: execution " + status; cause == nil || cause.Error() != want {
			t.Fatalf("handler context cause = %v, want %q", cause, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the handler's context was not cancelled within 10s")
	}
}

// StopExecution cancels the job on the worker as AWS would carry it: the
// ABORTED status change goes to the default bus, the template's
// EventBridgeRule invokes the cancel Lambda, which publishes a cancel
// naming the execution on the control topic (docs/eventbridge.md §1, §5).
func TestStopExecutionCancelsTheJob(t *testing.T) {
	srv := emulatortest.New(t, emulatortest.WithTemplate(templatePath))
	jobs, causes := blockingWorker(t, srv)
	c := sfn.NewFromConfig(srv.AWSConfig())

	arn := start(t, c, machineArn, `{"a":1,"b":2}`)
	if j := receiveJob(t, jobs); j.ExecutionArn != arn {
		t.Fatalf("job executionArn = %q, want %q", j.ExecutionArn, arn)
	}
	if _, err := c.StopExecution(context.Background(), &sfn.StopExecutionInput{ExecutionArn: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
	requireCancelled(t, causes, "ABORTED")
	if d := waitDone(t, c, arn); d.Status != types.ExecutionStatusAborted {
		t.Fatalf("status = %s, want ABORTED", d.Status)
	}
}

// An execution that runs out of TimeoutSeconds (on the fake clock) cancels
// its job the same way, through its TIMED_OUT status change.
func TestTimedOutExecutionCancelsTheJob(t *testing.T) {
	dir := timeoutTemplate(t, 60)
	srv := emulatortest.New(t, emulatortest.WithTemplate(filepath.Join(dir, "template.yaml")), emulatortest.WithFakeClock())
	jobs, causes := blockingWorker(t, srv)
	c := sfn.NewFromConfig(srv.AWSConfig())

	arn := start(t, c, machineArn, `{"a":1,"b":2}`)
	receiveJob(t, jobs)
	srv.Clock.Advance(60 * time.Second)
	requireCancelled(t, causes, "TIMED_OUT")
	if d := waitDone(t, c, arn); d.Status != types.ExecutionStatusTimedOut {
		t.Fatalf("status = %s, want TIMED_OUT", d.Status)
	}
}

// timeoutTemplate copies the repository's template into a directory with
// the state machine given an execution TimeoutSeconds.
func timeoutTemplate(t *testing.T, seconds int) string {
	t.Helper()
	dir := t.TempDir()
	tpl, err := os.ReadFile(templatePath)
	if err != nil {
		t.Fatal(err)
	}
	def, err := os.ReadFile("../statemachine/statemachine.asl.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(def, &m); err != nil {
		t.Fatal(err)
	}
	m["TimeoutSeconds"] = seconds
	def, _ = json.Marshal(m)
	if err := os.MkdirAll(filepath.Join(dir, "statemachine"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "statemachine", "statemachine.asl.json"), def, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "template.yaml"), tpl, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}
