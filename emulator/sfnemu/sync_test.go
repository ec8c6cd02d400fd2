package sfnemu

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/require"
)

// disableHostPrefix is the client option README gives SDK users:
// StartSyncExecution carries the endpoint host prefix "sync-", which a
// custom BaseEndpoint does not turn off (docs/step-functions.md §0.6, §4.1).
func disableHostPrefix(o *sfn.Options) {
	o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("DisableEndpointHostPrefix",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (
				middleware.InitializeOutput, middleware.Metadata, error) {
				return next.HandleInitialize(smithyhttp.DisableEndpointHostPrefix(ctx, true), in)
			}), middleware.Before)
	})
}

func (h *harness) createExpress(name, definition string) string {
	h.t.Helper()
	out, err := h.client.CreateStateMachine(context.Background(), &sfn.CreateStateMachineInput{
		Name: aws.String(name), Definition: aws.String(definition), RoleArn: aws.String(roleArn),
		Type: types.StateMachineTypeExpress})
	require.NoError(h.t, err)
	return aws.ToString(out.StateMachineArn)
}

func (h *harness) startSync(smArn, input string) *sfn.StartSyncExecutionOutput {
	h.t.Helper()
	out, err := h.client.StartSyncExecution(context.Background(), &sfn.StartSyncExecutionInput{
		StateMachineArn: aws.String(smArn), Input: aws.String(input)}, disableHostPrefix)
	require.NoError(h.t, err)
	return out
}

// Conformance express_sync BASE_PASS_RESULT and BASE_RAISE_FAILURE:
// StartSyncExecution answers with the result, 200 even on failure.
func TestStartSyncExecution(t *testing.T) {
	h := newHarness(t)
	sm := h.createExpress("Fast", `{"Comment":"BASE_PASS_RESULT","StartAt":"State_1","States":{"State_1":{"Type":"Pass","Result":{"Arg1":"argument1"},"End":true}}}`)
	out := h.startSync(sm, `{}`)
	require.Equal(t, types.SyncExecutionStatusSucceeded, out.Status)
	require.JSONEq(t, `{"Arg1":"argument1"}`, aws.ToString(out.Output))
	require.Equal(t, "{}", aws.ToString(out.Input))
	require.True(t, out.InputDetails.Included)
	require.True(t, out.OutputDetails.Included)
	require.Regexp(t, `^arn:aws:states:us-east-1:123456789012:express:Fast:[0-9a-f-]{36}:[0-9a-f-]{36}$`, aws.ToString(out.ExecutionArn))
	require.Equal(t, sm, aws.ToString(out.StateMachineArn))
	require.Equal(t, int64(64), out.BillingDetails.BilledMemoryUsedInMB)
	require.Equal(t, int64(100), out.BillingDetails.BilledDurationInMilliseconds)
	require.NotNil(t, out.StopDate)
	require.Nil(t, out.Error)

	failing := h.createExpress("Failing", `{"Comment":"BASE_RAISE_FAILURE","StartAt":"FailState","States":{"FailState":{"Type":"Fail","Error":"SomeFailure","Cause":"This state machines raises a 'SomeFailure' failure."}}}`)
	out = h.startSync(failing, `{}`)
	require.Equal(t, types.SyncExecutionStatusFailed, out.Status)
	require.Equal(t, "SomeFailure", aws.ToString(out.Error))
	require.Equal(t, "This state machines raises a 'SomeFailure' failure.", aws.ToString(out.Cause))
	require.Nil(t, out.Output)

	// Express executions have no history API.
	ctx := context.Background()
	_, err := h.client.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: out.ExecutionArn})
	requireAPIError(t, err, "InvalidArn", "Invalid Arn: 'Resource type not valid in this context: express'")
	_, err = h.client.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: out.ExecutionArn})
	requireAPIError(t, err, "InvalidArn", "Invalid Arn: 'Resource type not valid in this context: express'")
}

// Conformance api_errors test_start_sync_execution: STANDARD machines are
// refused.
func TestStartSyncExecutionOnStandard(t *testing.T) {
	h := newHarness(t)
	sm := h.createMachine("Slow", passDefinition)
	_, err := h.client.StartSyncExecution(context.Background(), &sfn.StartSyncExecutionInput{
		StateMachineArn: aws.String(sm), Input: aws.String("{}"), Name: aws.String("SyncExecution")}, disableHostPrefix)
	requireAPIError(t, err, "StateMachineTypeNotSupported", "This operation is not supported by this type of state machine")
	_, err = h.client.StartSyncExecution(context.Background(), &sfn.StartSyncExecutionInput{
		StateMachineArn: aws.String("nope")}, disableHostPrefix)
	requireAPIError(t, err, "InvalidArn", "Invalid Arn: 'Invalid ARN prefix: nope'")
}

// Reference §4.2: an Express execution waits for its Lambda task, and is
// stopped at five minutes (TIMED_OUT).
func TestStartSyncExecutionRunsTasksAndTimesOut(t *testing.T) {
	h := newHarness(t)
	sm := h.createExpress("Lambda", `{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"add","Payload.$":"$"},"OutputPath":"$.Payload","End":true}}}`)
	out := h.startSync(sm, `{"a":1}`)
	require.Equal(t, types.SyncExecutionStatusSucceeded, out.Status)
	require.JSONEq(t, `{"published":true}`, aws.ToString(out.Output))
	require.Equal(t, "add", h.nextJob().Function)

	slow := h.createExpress("Slow", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":600,"End":true}}}`)
	done := make(chan *sfn.StartSyncExecutionOutput, 1)
	go func() { done <- h.startSync(slow, `{}`) }()
	h.waitTimers(2) // the Wait and the five-minute limit
	h.clk.Advance(300 * time.Second)
	select {
	case out = <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("StartSyncExecution did not return")
	}
	require.Equal(t, types.SyncExecutionStatusTimedOut, out.Status)
	require.Equal(t, int64(300000), out.BillingDetails.BilledDurationInMilliseconds)
}

// waitTimers waits until at least n timers are armed on the fake clock.
func (h *harness) waitTimers(n int) {
	h.t.Helper()
	for {
		armed := h.clk.Armed()
		if h.clk.Pending() >= n {
			return
		}
		select {
		case <-armed:
		case <-time.After(5 * time.Second):
			h.t.Fatalf("%d timers armed, want %d", h.clk.Pending(), n)
		}
	}
}
