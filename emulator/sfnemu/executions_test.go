package sfnemu

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

// finishOne runs one execution of the sample machine to SUCCEEDED.
func (h *harness) finishOne(sm, input string) string {
	h.t.Helper()
	arn := h.start(sm, input)
	j := h.nextJob()
	_, err := h.client.SendTaskSuccess(context.Background(), &sfn.SendTaskSuccessInput{
		TaskToken: aws.String(j.Token), Output: aws.String(`{"result":1}`)})
	require.NoError(h.t, err)
	h.waitStatus(arn, types.ExecutionStatusSucceeded)
	return arn
}

// Reference §4.2: ListExecutions is newest first and filters by status.
func TestListExecutionsStatusFilter(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	sm := h.createMachine("OnPremJobs", sampleDefinition)
	succeeded := h.finishOne(sm, `{"n":1}`)
	aborted := h.start(sm, `{"n":2}`)
	h.nextJob()
	_, err := h.client.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: aws.String(aborted)})
	require.NoError(t, err)
	running := h.start(sm, `{"n":3}`)
	h.nextJob()

	list := func(filter types.ExecutionStatus, max int32, next *string) *sfn.ListExecutionsOutput {
		out, err := h.client.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(sm),
			StatusFilter: filter, MaxResults: max, NextToken: next})
		require.NoError(t, err)
		return out
	}
	arns := func(out *sfn.ListExecutionsOutput) []string {
		var s []string
		for _, e := range out.Executions {
			s = append(s, aws.ToString(e.ExecutionArn))
		}
		return s
	}
	require.Equal(t, []string{running, aborted, succeeded}, arns(list("", 0, nil)))
	require.Equal(t, []string{running}, arns(list(types.ExecutionStatusRunning, 0, nil)))
	require.Equal(t, []string{aborted}, arns(list(types.ExecutionStatusAborted, 0, nil)))
	require.Equal(t, []string{succeeded}, arns(list(types.ExecutionStatusSucceeded, 0, nil)))
	require.Empty(t, list(types.ExecutionStatusFailed, 0, nil).Executions)

	first := list("", 2, nil)
	require.Equal(t, []string{running, aborted}, arns(first))
	require.NotNil(t, first.NextToken)
	rest := list("", 2, first.NextToken)
	require.Equal(t, []string{succeeded}, arns(rest))
	require.Nil(t, rest.NextToken)

	item := list(types.ExecutionStatusRunning, 0, nil).Executions[0]
	require.Nil(t, item.StopDate, "a running execution has no stopDate")
	require.Equal(t, sm, aws.ToString(item.StateMachineArn))
}

// Reference §4.2: GetExecutionHistory pages (maxResults, nextToken), runs
// backwards with reverseOrder and drops data without includeExecutionData.
func TestGetExecutionHistoryPaging(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	arn := h.finishOne(h.createMachine("OnPremJobs", sampleDefinition), `{"a":15,"b":42}`)
	all := h.history(arn)
	require.Len(t, all, 8)

	for _, reverse := range []bool{false, true} {
		var ids []int64
		var next *string
		for pages := 0; ; pages++ {
			require.Less(t, pages, 3)
			out, err := h.client.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn),
				MaxResults: 3, ReverseOrder: reverse, NextToken: next})
			require.NoError(t, err)
			require.LessOrEqual(t, len(out.Events), 3)
			for _, e := range out.Events {
				ids = append(ids, e.Id)
			}
			if next = out.NextToken; next == nil {
				break
			}
		}
		want := []int64{1, 2, 3, 4, 5, 6, 7, 8}
		if reverse {
			want = []int64{8, 7, 6, 5, 4, 3, 2, 1}
		}
		require.Equal(t, want, ids, "reverse=%v", reverse)
	}

	out, err := h.client.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn),
		IncludeExecutionData: aws.Bool(false)})
	require.NoError(t, err)
	require.Len(t, out.Events, 8)
	started := out.Events[0].ExecutionStartedEventDetails
	require.NotNil(t, started)
	require.Nil(t, started.Input)
	require.Equal(t, roleArn, aws.ToString(started.RoleArn))
	require.Nil(t, out.Events[7].ExecutionSucceededEventDetails.Output)
	require.JSONEq(t, `{"a":15,"b":42}`, aws.ToString(all[0].ExecutionStartedEventDetails.Input))
}

// Reference §4.2: StartExecution is idempotent for a running execution
// with the same name and input; otherwise ExecutionAlreadyExists.
func TestStartExecutionIdempotency(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	sm := h.createMachine("OnPremJobs", sampleDefinition)
	start := func(input string) (*sfn.StartExecutionOutput, error) {
		return h.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(sm),
			Name: aws.String("job-1"), Input: aws.String(input)})
	}
	first, err := start(`{"n":1}`)
	require.NoError(t, err)
	require.Equal(t, "arn:aws:states:us-east-1:123456789012:execution:OnPremJobs:job-1", aws.ToString(first.ExecutionArn))
	again, err := start(`{"n":1}`)
	require.NoError(t, err)
	require.Equal(t, first.ExecutionArn, again.ExecutionArn)
	require.Equal(t, first.StartDate, again.StartDate)
	_, err = start(`{"n": 1}`)
	requireAPIError(t, err, "ExecutionAlreadyExists", "Execution Already Exists: '"+aws.ToString(first.ExecutionArn)+"'")
	h.nextJob()

	out, err := h.client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: first.ExecutionArn})
	require.NoError(t, err)
	require.Equal(t, types.ExecutionStatusRunning, out.Status)
	require.Nil(t, out.StopDate)
	require.Nil(t, out.Output)
	require.Equal(t, `{"n":1}`, aws.ToString(out.Input))
	require.Equal(t, types.ExecutionRedriveStatusNotRedrivable, out.RedriveStatus)
	require.Equal(t, "Execution is RUNNING and cannot be redriven", aws.ToString(out.RedriveStatusReason))

	def, err := h.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(sm)})
	require.NoError(t, err)
	require.Regexp(t, `:execution:OnPremJobs:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`,
		aws.ToString(def.ExecutionArn), "the default name is a UUID")
}
