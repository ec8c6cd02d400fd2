package sfnemu

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

// flakyDefinition passes, then calls a function that fails on its first
// call only.
const flakyDefinition = `{"StartAt":"Prepare","States":{
 "Prepare":{"Type":"Pass","Result":{"n":1},"Next":"Call"},
 "Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
  "Parameters":{"FunctionName":"flaky","Payload":{"n.$":"$.n","redrives.$":"$$.Execution.RedriveCount"}},
  "OutputPath":"$.Payload","End":true}}}`

// flaky makes h's function fail on its first call.
func (h *harness) flaky() *atomic.Int32 {
	var calls atomic.Int32
	h.invoke = func(_ context.Context, _ string, p []byte) (InvokeResult, error) {
		if calls.Add(1) == 1 {
			return InvokeResult{}, errors.New("first call fails")
		}
		return InvokeResult{Payload: p}, nil
	}
	return &calls
}

// TestRedriveExecution checks docs/step-functions.md §7: a failed
// execution is redriven from the failed state, its history continues
// with ExecutionRedriven, and DescribeExecution and ListExecutions report
// the redrive.
func TestRedriveExecution(t *testing.T) {
	h := newHarness(t)
	calls := h.flaky()
	ctx := context.Background()
	sm := h.createMachine("flaky", flakyDefinition)
	arn := h.start(sm, `{}`)
	d := h.waitStatus(arn, types.ExecutionStatusFailed)
	require.Equal(t, types.ExecutionRedriveStatusRedrivable, d.RedriveStatus)
	require.Zero(t, aws.ToInt32(d.RedriveCount))
	failedEvents := len(h.history(arn))

	h.clk.Advance(time.Hour)
	out, err := h.client.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: aws.String(arn)})
	require.NoError(t, err)
	require.Equal(t, h.clk.Now().Unix(), out.RedriveDate.Unix())

	d = h.waitStatus(arn, types.ExecutionStatusSucceeded)
	require.Equal(t, int32(1), aws.ToInt32(d.RedriveCount))
	require.Equal(t, out.RedriveDate.Unix(), d.RedriveDate.Unix())
	require.Equal(t, types.ExecutionRedriveStatusNotRedrivable, d.RedriveStatus)
	require.Equal(t, "Execution is SUCCEEDED and cannot be redriven", aws.ToString(d.RedriveStatusReason))
	require.JSONEq(t, `{"n":1,"redrives":1}`, aws.ToString(d.Output))
	require.Equal(t, int32(2), calls.Load())

	events := h.history(arn)
	seq := eventTypes(events)
	require.Equal(t, "ExecutionFailed", seq[failedEvents-1])
	require.Equal(t, []string{"ExecutionRedriven", "TaskStateEntered"}, seq[failedEvents:failedEvents+2])
	require.Equal(t, int32(1), aws.ToInt32(events[failedEvents].ExecutionRedrivenEventDetails.RedriveCount))
	require.Equal(t, "ExecutionSucceeded", seq[len(seq)-1])

	_, err = h.client.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: aws.String(arn)})
	requireAPIError(t, err, "ExecutionNotRedrivable", "Execution is SUCCEEDED and cannot be redriven")

	for filter, want := range map[sfn.ListExecutionsInput]int{
		{StateMachineArn: aws.String(sm), RedriveFilter: "REDRIVEN"}:     1,
		{StateMachineArn: aws.String(sm), RedriveFilter: "NOT_REDRIVEN"}: 0,
	} {
		list, err := h.client.ListExecutions(ctx, &filter)
		require.NoError(t, err)
		require.Len(t, list.Executions, want, "filter %s", filter.RedriveFilter)
	}
}

// TestRedriveRefused checks the executions that cannot be redriven
// (docs/step-functions.md §7.1).
func TestRedriveRefused(t *testing.T) {
	for _, tc := range []struct {
		name, reason string
		setup        func(h *harness) string
	}{
		{"running", "Execution is RUNNING and cannot be redriven", func(h *harness) string {
			return h.start(h.createMachine("cb", sampleDefinition), `{}`)
		}},
		{"past the window", "Execution redrivable period exceeded", func(h *harness) string {
			h.flaky()
			arn := h.start(h.createMachine("flaky", flakyDefinition), `{}`)
			h.waitStatus(arn, types.ExecutionStatusFailed)
			h.clk.Advance(RedriveWindow)
			return arn
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.svc.retention = newRetention(-1, -1)
			arn := tc.setup(h)
			d, err := h.client.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
			require.NoError(t, err)
			require.Equal(t, types.ExecutionRedriveStatusNotRedrivable, d.RedriveStatus)
			require.Equal(t, tc.reason, aws.ToString(d.RedriveStatusReason))
			_, err = h.client.RedriveExecution(context.Background(), &sfn.RedriveExecutionInput{ExecutionArn: aws.String(arn)})
			requireAPIError(t, err, "ExecutionNotRedrivable", tc.reason)
		})
	}
}

// An execution ended while a step evaluated (here StopExecution) is not
// redrivable: its Machine did not end with it (docs/step-functions.md §7).
func TestRedriveRefusedAfterAbandon(t *testing.T) {
	svc, _, g := slowService(t)
	arn := startExec(t, svc, createMachine(t, svc, "Slow", "", slowDefinition))
	g.waitEntered(t)
	_, err := svc.StopExecution(context.Background(), StopExecutionInput{ExecutionArn: arn})
	require.NoError(t, err)
	g.open()
	require.Eventually(t, func() bool { return svc.Driving() == 0 }, 5*time.Second, time.Millisecond)
	_, err = svc.RedriveExecution(context.Background(), RedriveExecutionInput{ExecutionArn: arn})
	require.ErrorIs(t, err, ErrExecutionNotRedrivable)
	require.ErrorContains(t, err, "Execution is ABORTED and cannot be redriven")
	require.Equal(t, []string{"ExecutionStarted", "ExecutionAborted"}, historyTypes(t, svc, arn))
	d, err := svc.DescribeExecution(context.Background(), arn)
	require.NoError(t, err)
	require.Equal(t, "NOT_REDRIVABLE", d.RedriveStatus, "DescribeExecution agrees with RedriveExecution")
	require.Equal(t, "Execution is ABORTED and cannot be redriven", d.RedriveStatusReason)
}
