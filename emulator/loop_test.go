package emulator_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/google/go-cmp/cmp"

	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/worker"
)

const (
	templatePath = "../template.yaml"
	machineArn   = "arn:aws:states:us-east-1:123456789012:stateMachine:MqttBasedStateMachine"
	thing        = "mqtt-container-client"
	policy       = "OnPremContainer"
)

// startWorker runs the sample worker against srv with a certificate for
// the template's thing, and waits until it is subscribed.
func startWorker(t *testing.T, srv *emulatortest.Server) {
	t.Helper()
	srv.StartWorker(worker.Config{ClientID: thing, SubscribeTopic: "tenant1/to/worker", SubmitTopic: "tenant1/to/lambda"},
		policy, worker.DefaultHandler())
}

// waitDone polls DescribeExecution until the execution leaves RUNNING.
func waitDone(t *testing.T, c *sfn.Client, arn string) *sfn.DescribeExecutionOutput {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		d, err := c.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != types.ExecutionStatusRunning {
			return d
		}
		if time.Now().After(deadline) {
			t.Fatalf("execution %s still RUNNING after 10s", arn)
		}
		time.Sleep(2 * time.Millisecond) // polling interval, not synchronisation
	}
}

func start(t *testing.T, c *sfn.Client, arn, input string) string {
	t.Helper()
	out, err := c.StartExecution(context.Background(), &sfn.StartExecutionInput{StateMachineArn: aws.String(arn), Input: aws.String(input)})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.ExecutionArn)
}

func historyTypes(t *testing.T, c *sfn.Client, arn string) []string {
	t.Helper()
	h, err := c.GetExecutionHistory(context.Background(), &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, e := range h.Events {
		types = append(types, string(e.Type))
	}
	return types
}

// The sample job end to end over real mTLS MQTT on loopback: StartExecution
// → dispatch Lambda → iot-data Publish → worker → results topic → rule →
// complete Lambda → SendTaskSuccess (docs/step-functions.md §3.3 A).
func TestSampleRoundTrip(t *testing.T) {
	srv := emulatortest.New(t, emulatortest.WithTemplate(templatePath))
	startWorker(t, srv)
	c := sfn.NewFromConfig(srv.AWSConfig())

	arn := start(t, c, machineArn, `{"a":15,"b":42}`)
	d := waitDone(t, c, arn)
	if d.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("status %s error %q cause %q", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
	}
	if got, want := aws.ToString(d.Output), `{"a":15,"b":42,"lambdaOutput":{"result":57}}`; got != want {
		t.Errorf("output = %s, want %s", got, want)
	}
	want := []string{"ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted",
		"TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"}
	if d := cmp.Diff(want, historyTypes(t, c, arn)); d != "" {
		t.Errorf("history (-want +got):\n%s", d)
	}
}

// A worker failure is a failure: the execution ends FAILED with the
// worker's error name (the aws-samples completion Lambda reported it as a
// success; stepwire's must not).
func TestWorkerFailureFailsExecution(t *testing.T) {
	srv := emulatortest.New(t, emulatortest.WithTemplate(templatePath))
	startWorker(t, srv)
	c := sfn.NewFromConfig(srv.AWSConfig())

	d := waitDone(t, c, start(t, c, machineArn, `{"a":"x","b":42}`))
	if d.Status != types.ExecutionStatusFailed {
		t.Fatalf("status = %s, want FAILED", d.Status)
	}
	if got := aws.ToString(d.Error); got != worker.FailureInvalidInput {
		t.Errorf("error = %q, want %q", got, worker.FailureInvalidInput)
	}
	if !strings.Contains(aws.ToString(d.Cause), `"a"`) {
		t.Errorf("cause %q does not explain the bad field", aws.ToString(d.Cause))
	}
}

// HeartbeatSeconds expiry ends the execution with States.Timeout (reference
// docs/step-functions.md §0.1, §3.3 C) — on the fake clock, without sleeping.
func TestHeartbeatExpiryOnFakeClock(t *testing.T) {
	srv := emulatortest.New(t, emulatortest.WithTemplate(templatePath), emulatortest.WithFakeClock())
	c := sfn.NewFromConfig(srv.AWSConfig())
	def := `{"StartAt":"Job","States":{"Job":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
		"HeartbeatSeconds":30,"Parameters":{"FunctionName":"SendToWorkerFunction","Payload":{"Input.$":"$","TaskToken.$":"$$.Task.Token"}},"End":true}}}`
	sm, err := c.CreateStateMachine(context.Background(), &sfn.CreateStateMachineInput{
		Name: aws.String("heartbeat"), Definition: aws.String(def), RoleArn: aws.String("arn:aws:iam::123456789012:role/r")})
	if err != nil {
		t.Fatal(err)
	}
	// No worker is connected: nobody will ever answer.
	arn := start(t, c, aws.ToString(sm.StateMachineArn), `{"a":1,"b":2}`)
	waitForTimer(t, srv)
	srv.Clock.AdvanceToNext()
	d := waitDone(t, c, arn)
	if d.Status != types.ExecutionStatusFailed || aws.ToString(d.Error) != "States.Timeout" {
		t.Fatalf("status %s error %q, want FAILED States.Timeout", d.Status, aws.ToString(d.Error))
	}
	if got := srv.Clock.Now().Sub(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); got != 30*time.Second {
		t.Errorf("virtual time elapsed = %v, want 30s", got)
	}
}

func waitForTimer(t *testing.T, srv *emulatortest.Server) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for srv.Clock.Pending() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no timer armed after 10s")
		}
		time.Sleep(time.Millisecond) // polling interval, not synchronisation
	}
}

// Garbage tokens get InvalidToken; a duplicate callback for a closed task
// gets TaskTimedOut (docs/step-functions.md §2.3).
func TestCallbackTokenErrors(t *testing.T) {
	srv := emulatortest.New(t, emulatortest.WithTemplate(templatePath))
	c := sfn.NewFromConfig(srv.AWSConfig())
	ctx := context.Background()

	_, err := c.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String("FakeTaskToken"), Output: aws.String("{}")})
	var invalid *types.InvalidToken
	if !errors.As(err, &invalid) {
		t.Fatalf("garbage token: err = %v, want InvalidToken", err)
	}

	jobs := subscribeJobs(t, srv)
	arn := start(t, c, machineArn, `{"a":1,"b":2}`)
	token := (<-jobs).TaskToken
	for i, want := range []error{nil, &types.TaskTimedOut{}} {
		_, err := c.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(`{"result":3}`)})
		var timedOut *types.TaskTimedOut
		if (want == nil) != (err == nil) || (want != nil && !errors.As(err, &timedOut)) {
			t.Fatalf("SendTaskSuccess #%d: err = %v, want %v", i+1, err, want)
		}
	}
	if d := waitDone(t, c, arn); d.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("status = %s", d.Status)
	}
	_, err = c.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(token)})
	if !errors.As(err, new(*types.TaskTimedOut)) {
		t.Fatalf("heartbeat after success: err = %v, want TaskTimedOut", err)
	}
}

type job struct {
	Input     json.RawMessage
	TaskToken string
}
