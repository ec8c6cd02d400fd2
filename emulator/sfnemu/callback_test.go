package sfnemu

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

// Reference §3.3 A: a callback task that succeeds.
func TestCallbackSuccess(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	arn := h.start(h.createMachine("OnPremJobs", sampleDefinition), `{"a":15,"b":42}`)

	j := h.nextJob()
	require.Equal(t, "arn:aws:lambda:us-east-1:123456789012:function:dispatch", j.Function)
	require.JSONEq(t, `{"a":15,"b":42}`, string(j.Input))
	require.Len(t, j.Token, 700, "tokens are about as long as AWS's")
	_, err := base64.StdEncoding.DecodeString(j.Token)
	require.NoError(t, err, "tokens use the standard base64 alphabet")

	_, err = h.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(j.Token), Output: aws.String(`{"result":57}`)})
	require.NoError(t, err)

	out := h.waitStatus(arn, types.ExecutionStatusSucceeded)
	require.JSONEq(t, `{"a":15,"b":42,"lambdaOutput":{"result":57}}`, aws.ToString(out.Output))
	require.NotNil(t, out.StopDate)
	require.Nil(t, out.Error)
	require.Equal(t, []string{"ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
		"TaskSubmitted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"}, eventTypes(h.history(arn)))
}

// The TaskSubmitted output is Lambda's Invoke response (docs/step-functions.md §2.1 step 6).
func TestCallbackSubmittedIsInvokeResponse(t *testing.T) {
	h := newHarness(t)
	arn := h.start(h.createMachine("OnPremJobs", sampleDefinition), `{}`)
	h.nextJob()
	h.waitEvent(arn, "TaskSubmitted")
	var out string
	for _, e := range h.history(arn) {
		if e.TaskSubmittedEventDetails != nil {
			out = aws.ToString(e.TaskSubmittedEventDetails.Output)
		}
	}
	require.Contains(t, out, `"ExecutedVersion":"$LATEST"`)
	require.Contains(t, out, `"Payload":{"published":true}`)
	require.Contains(t, out, `"StatusCode":200`)
	require.Contains(t, out, `"SdkHttpMetadata"`)
}

// Reference §3.3 B: SendTaskFailure, uncaught, fails the execution with the
// worker's error and cause.
func TestCallbackFailure(t *testing.T) {
	h := newHarness(t)
	arn := h.start(h.createMachine("OnPremJobs", sampleDefinition), `{"a":1}`)
	j := h.nextJob()
	_, err := h.client.SendTaskFailure(context.Background(), &sfn.SendTaskFailureInput{
		TaskToken: aws.String(j.Token), Error: aws.String("Worker.DatabaseUnavailable"), Cause: aws.String("connection refused")})
	require.NoError(t, err)

	out := h.waitStatus(arn, types.ExecutionStatusFailed)
	require.Equal(t, "Worker.DatabaseUnavailable", aws.ToString(out.Error))
	require.Equal(t, "connection refused", aws.ToString(out.Cause))
	require.Nil(t, out.Output)
	types := eventTypes(h.history(arn))
	require.Equal(t, []string{"TaskSubmitted", "TaskFailed", "ExecutionFailed"}, types[len(types)-3:])
}

// Reference §0.1 and §3.3 C: heartbeat expiry is States.Timeout; a
// heartbeat resets the clock; later callbacks get TaskTimedOut.
func TestHeartbeatTimeout(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	def := strings.Replace(sampleDefinition, `"End":true`, `"HeartbeatSeconds":10,"End":true`, 1)
	arn := h.start(h.createMachine("OnPremJobs", def), `{}`)
	j := h.nextJob()
	h.waitEvent(arn, "TaskSubmitted")
	h.waitArmed(1)

	h.clk.Advance(8 * time.Second)
	_, err := h.client.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(j.Token)})
	require.NoError(t, err)
	h.clk.Advance(8 * time.Second) // 16s after the start, 8s after the heartbeat
	out, err := h.client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
	require.NoError(t, err)
	require.Equal(t, types.ExecutionStatusRunning, out.Status)

	h.clk.Advance(3 * time.Second)
	out = h.waitStatus(arn, types.ExecutionStatusFailed)
	require.Equal(t, "States.Timeout", aws.ToString(out.Error))
	require.Nil(t, out.Cause, "a heartbeat timeout has no cause")
	evs := eventTypes(h.history(arn))
	require.Equal(t, []string{"TaskSubmitted", "TaskTimedOut", "ExecutionFailed"}, evs[len(evs)-3:])

	_, err = h.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(j.Token), Output: aws.String(`{}`)})
	requireAPIError(t, err, "TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'")
}

// waitEvent polls until the execution's history has an event of type typ.
func (h *harness) waitEvent(arn, typ string) {
	h.t.Helper()
	require.Eventually(h.t, func() bool {
		for _, e := range h.history(arn) {
			if string(e.Type) == typ {
				return true
			}
		}
		return false
	}, 5*time.Second, time.Millisecond, "no %s event", typ)
}

// waitArmed polls until at least n timers are armed on the fake clock.
func (h *harness) waitArmed(n int) {
	h.t.Helper()
	require.Eventually(h.t, func() bool { return h.clk.Pending() >= n }, 5*time.Second, time.Millisecond,
		"want %d armed timers", n)
}

// Reference §2.3: duplicate callbacks and callbacks after StopExecution are
// TaskTimedOut; garbage is InvalidToken.
func TestCallbackTokenErrors(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	sm := h.createMachine("OnPremJobs", sampleDefinition)

	done := h.start(sm, `{"n":1}`)
	j := h.nextJob()
	_, err := h.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(j.Token), Output: aws.String(`{}`)})
	require.NoError(t, err)
	h.waitStatus(done, types.ExecutionStatusSucceeded)
	_, err = h.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(j.Token), Output: aws.String(`{}`)})
	requireAPIError(t, err, "TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'")

	stopped := h.start(sm, `{"n":2}`)
	j = h.nextJob()
	_, err = h.client.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: aws.String(stopped), Error: aws.String("Manual")})
	require.NoError(t, err)
	out := h.waitStatus(stopped, types.ExecutionStatusAborted)
	require.Equal(t, "Manual", aws.ToString(out.Error))
	require.Nil(t, out.Cause)
	for _, send := range []func() error{
		func() error {
			_, err := h.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(j.Token), Output: aws.String(`{}`)})
			return err
		},
		func() error {
			_, err := h.client.SendTaskFailure(ctx, &sfn.SendTaskFailureInput{TaskToken: aws.String(j.Token)})
			return err
		},
		func() error {
			_, err := h.client.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(j.Token)})
			return err
		},
	} {
		requireAPIError(t, send(), "TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'")
	}

	for _, garbage := range []string{"FakeTaskToken", j.Token[:699] + "A", strings.Repeat("A", 700)} {
		_, err = h.client.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(garbage)})
		requireAPIError(t, err, "InvalidToken", "Invalid Token: 'Invalid token'")
	}
}

// Reference §2.3: output must be present and valid JSON.
func TestSendTaskSuccessValidation(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.start(h.createMachine("OnPremJobs", sampleDefinition), `{}`)
	j := h.nextJob()

	_, err := h.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(j.Token), Output: aws.String(`{"a":`)})
	var invalid *types.InvalidOutput
	require.ErrorAs(t, err, &invalid)
	_, err = h.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(j.Token),
		Output: aws.String(`"` + strings.Repeat("x", 262144) + `"`)})
	requireAPIError(t, err, "ValidationException",
		"1 validation error detected: Value at 'output' failed to satisfy constraint: Member must have length less than or equal to 262144")
	_, err = h.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(j.Token), Output: aws.String(`{"ok":true}`)})
	require.NoError(t, err, "the task is still open after refused calls")
}

// Reference §2.1 (EMU note): a callback may arrive before the dispatch
// Invoke returns; it is accepted and TaskSubmitted still precedes
// TaskSucceeded.
func TestCallbackBeforeInvokeReturns(t *testing.T) {
	h := newHarness(t)
	h.invoke = func(ctx context.Context, _ string, payload []byte) (InvokeResult, error) {
		var j job
		if err := json.Unmarshal(payload, &j); err != nil {
			return InvokeResult{}, err
		}
		_, err := h.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(j.Token), Output: aws.String(`{"early":true}`)})
		return InvokeResult{Payload: []byte(`{}`)}, err
	}
	arn := h.start(h.createMachine("OnPremJobs", sampleDefinition), `{}`)
	out := h.waitStatus(arn, types.ExecutionStatusSucceeded)
	require.JSONEq(t, `{"lambdaOutput":{"early":true}}`, aws.ToString(out.Output))
	require.Equal(t, []string{"ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
		"TaskSubmitted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"}, eventTypes(h.history(arn)))
}
