//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// sleepMachine creates a state machine whose one Task sends a sleep job
// ({"seconds": N}) to the workers through the stack's SendToWorkerFunction,
// with the role of the stack's own state machine. The job asks for
// heartbeats every heartbeat seconds (the worker sends one every third of
// that), and the Task times out after heartbeat seconds without one. retry
// adds a Retry on Worker.ShuttingDown, the error of a job cut short by a
// drain. The machine is deleted when the test ends.
func (e *env) sleepMachine(t *testing.T, name string, heartbeat int, retry bool) string {
	t.Helper()
	retries := ""
	if retry {
		retries = `,"Retry":[{"ErrorEquals":["Worker.ShuttingDown"],"IntervalSeconds":1,"MaxAttempts":3,"BackoffRate":1}]`
	}
	def := fmt.Sprintf(`{"StartAt":"Job","States":{"Job":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
		"HeartbeatSeconds":%d,"Parameters":{"FunctionName":%q,"Payload":{"Input.$":"$","TaskToken.$":"$$.Task.Token",
		"executionArn.$":"$$.Execution.Id","jobType":"sleep","heartbeatSeconds":%d}}%s,"End":true}}}`,
		heartbeat, e.function(t, "SendToWorkerFunction"), heartbeat, retries)
	ctx, c := context.Background(), sfn.NewFromConfig(e.aws)
	sample, err := c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(e.stack.StateMachineArn)})
	if err != nil {
		t.Fatal(err)
	}
	sm, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{
		Name: aws.String("e2e-" + name + "-" + e.id), Definition: aws.String(def), RoleArn: sample.RoleArn})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := c.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: sm.StateMachineArn}); err != nil && e.emulator == nil {
			t.Logf("state machine %s left in the account: %v", aws.ToString(sm.StateMachineArn), err)
		}
	})
	return aws.ToString(sm.StateMachineArn)
}

// start starts an execution and returns its ARN.
func (e *env) start(t *testing.T, machine, input string) string {
	t.Helper()
	out, err := sfn.NewFromConfig(e.aws).StartExecution(context.Background(),
		&sfn.StartExecutionInput{StateMachineArn: aws.String(machine), Input: aws.String(input)})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.ExecutionArn)
}

// wait waits up to within for the execution to end and returns it.
func (e *env) wait(t *testing.T, arn string, within time.Duration) *sfn.DescribeExecutionOutput {
	t.Helper()
	var d *sfn.DescribeExecutionOutput
	poll(t, within, "execution "+arn+" to end", func() bool {
		var err error
		d, err = sfn.NewFromConfig(e.aws).DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		return d.Status != types.ExecutionStatusRunning
	})
	return d
}

// run starts an execution and waits for it to end.
func (e *env) run(t *testing.T, machine, input string) *sfn.DescribeExecutionOutput {
	t.Helper()
	return e.wait(t, e.start(t, machine, input), 60*time.Second)
}

// history returns the types of the execution's history events, in order.
func (e *env) history(t *testing.T, arn string) []types.HistoryEvent {
	t.Helper()
	out, err := sfn.NewFromConfig(e.aws).GetExecutionHistory(context.Background(),
		&sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn), MaxResults: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return out.Events
}

// expectSample checks the sample's output for {"a":15,"b":42}.
func expectSample(t *testing.T, d *sfn.DescribeExecutionOutput) {
	t.Helper()
	if d.Status != types.ExecutionStatusSucceeded || aws.ToString(d.Output) != `{"a":15,"b":42,"lambdaOutput":{"result":57}}` {
		t.Fatalf("status %s output %s error %s %s", d.Status, aws.ToString(d.Output), aws.ToString(d.Error), aws.ToString(d.Cause))
	}
}

// expectTimeout checks that the execution failed with States.Timeout.
func expectTimeout(t *testing.T, d *sfn.DescribeExecutionOutput) {
	t.Helper()
	if d.Status != types.ExecutionStatusFailed || aws.ToString(d.Error) != "States.Timeout" {
		t.Fatalf("status %s error %q, want FAILED States.Timeout", d.Status, aws.ToString(d.Error))
	}
}

// sampleInput is the sample's input; expectSample checks its output.
const sampleInput = `{"a":15,"b":42}`

// runSample runs the stack's state machine, the add job, once.
func (e *env) runSample(t *testing.T) *sfn.DescribeExecutionOutput {
	t.Helper()
	return e.run(t, e.stack.StateMachineArn, sampleInput)
}
