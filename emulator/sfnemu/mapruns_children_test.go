package sfnemu

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/emulator/interp"
)

// distributedFailTwo is a Distributed Map whose child fails on item 2 and
// passes the others through; one failure is tolerated.
const distributedFailTwo = `{"StartAt":"M","States":{"M":{"Type":"Map","Label":"Items","ToleratedFailureCount":1,
 "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"C","States":{
  "C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":2,"Next":"F"}],"Default":"P"},
  "F":{"Type":"Fail","Error":"Boom","Cause":"two"},
  "P":{"Type":"Pass","Result":"ok","End":true}}},"End":true}}}`

// AWS API reference DescribeExecution ("mapRunArn: the Amazon Resource
// Name (ARN) of a Map Run. This field is returned only if executionArn
// refers to a child workflow execution that was started by a Distributed
// Map state"; redriveStatus REDRIVABLE_BY_MAP_RUN) and
// GetExecutionHistory: a child execution's ARN is served like any
// execution's, with the child's own status, input, output or error, and
// history; its stateMachineArn is the qualified <machine>/<label>.
func TestChildExecutionDescribeAndHistory(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	sm := h.createMachine("dm", distributedFailTwo)
	ex := h.start(sm, `[1,2]`)
	h.waitStatus(ex, types.ExecutionStatusSucceeded)

	runs, err := h.client.ListMapRuns(ctx, &sfn.ListMapRunsInput{ExecutionArn: aws.String(ex)})
	require.NoError(t, err)
	require.Len(t, runs.MapRuns, 1)
	runArn := aws.ToString(runs.MapRuns[0].MapRunArn)
	list, err := h.client.ListExecutions(ctx, &sfn.ListExecutionsInput{MapRunArn: aws.String(runArn)})
	require.NoError(t, err)
	require.Len(t, list.Executions, 2)

	byInput := map[string]*sfn.DescribeExecutionOutput{}
	for _, c := range list.Executions {
		d, err := h.client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: c.ExecutionArn})
		require.NoError(t, err)
		require.Equal(t, runArn, aws.ToString(d.MapRunArn))
		require.Equal(t, sm+"/Items", aws.ToString(d.StateMachineArn))
		require.Equal(t, aws.ToString(c.Name), aws.ToString(d.Name))
		require.NotNil(t, d.StopDate)
		byInput[aws.ToString(d.Input)] = d
	}
	tests := []struct {
		input, output, errName, cause string
		status                        types.ExecutionStatus
		redrive                       types.ExecutionRedriveStatus
		history                       []types.HistoryEventType
	}{
		{"1", `"ok"`, "", "", types.ExecutionStatusSucceeded, types.ExecutionRedriveStatusNotRedrivable,
			[]types.HistoryEventType{"ExecutionStarted", "ChoiceStateEntered", "ChoiceStateExited",
				"PassStateEntered", "PassStateExited", "ExecutionSucceeded"}},
		{"2", "", "Boom", "two", types.ExecutionStatusFailed, types.ExecutionRedriveStatusRedrivableByMapRun,
			[]types.HistoryEventType{"ExecutionStarted", "ChoiceStateEntered", "ChoiceStateExited",
				"FailStateEntered", "ExecutionFailed"}},
	}
	for _, tt := range tests {
		t.Run("item "+tt.input, func(t *testing.T) {
			d := byInput[tt.input]
			require.NotNil(t, d)
			require.Equal(t, tt.status, d.Status)
			require.Equal(t, tt.output, aws.ToString(d.Output))
			require.Equal(t, tt.errName, aws.ToString(d.Error))
			require.Equal(t, tt.cause, aws.ToString(d.Cause))
			require.Equal(t, tt.redrive, d.RedriveStatus)
			hist, err := h.client.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: d.ExecutionArn})
			require.NoError(t, err)
			var types []types.HistoryEventType
			for _, e := range hist.Events {
				types = append(types, e.Type)
			}
			require.Equal(t, tt.history, types)
		})
	}

	parent, err := h.client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(ex)})
	require.NoError(t, err)
	require.Nil(t, parent.MapRunArn, "only a child has a mapRunArn")
	_, err = h.client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{
		ExecutionArn: aws.String("arn:aws:states:us-east-1:123456789012:execution:dm/Items:00000000-0000-4000-8000-000000000000")})
	require.ErrorContains(t, err, "ExecutionDoesNotExist")
}

// Retention (retention.go) frees a closed execution's Map Runs and child
// executions with it: they leave the lookup indexes, so a long session's
// memory stays bounded, and the APIs no longer find them.
func TestRetentionFreesMapRunsAndChildren(t *testing.T) {
	svc, clk := retentionService(t, 0, time.Hour)
	ctx := context.Background()
	sm := createMachine(t, svc, "dm", "", distributedFailTwo)
	var runs, children []string
	for i := range 3 {
		name := fmt.Sprintf("run-%d", i)
		out, err := svc.StartExecution(ctx, StartExecutionInput{StateMachineArn: sm, Name: &name, Input: strPtr(`[1,2,3]`)})
		require.NoError(t, err)
		_, err = svc.WaitExecution(ctx, out.ExecutionArn)
		require.NoError(t, err)
		list, err := svc.ListMapRuns(ctx, out.ExecutionArn, Page{})
		require.NoError(t, err)
		require.Len(t, list.MapRuns, 1)
		runs = append(runs, list.MapRuns[0].MapRunArn)
		kids, err := svc.ListExecutions(ctx, ListExecutionsInput{MapRunArn: list.MapRuns[0].MapRunArn})
		require.NoError(t, err)
		require.Len(t, kids.Executions, 3)
		for _, k := range kids.Executions {
			children = append(children, k.ExecutionArn)
		}
	}
	require.Equal(t, 3, syncMapLen(&svc.mapRunIdx))
	require.Equal(t, 9, syncMapLen(&svc.childIdx))
	d, err := svc.DescribeExecution(ctx, children[0])
	require.NoError(t, err)
	require.Equal(t, interp.StatusSucceeded, d.Status)

	clk.Advance(time.Hour)
	for _, arn := range children {
		requireFreed(t, svc, arn)
	}
	for _, arn := range runs {
		_, err := svc.DescribeMapRun(ctx, arn)
		require.ErrorIs(t, err, ErrResourceNotFound)
	}
	require.Zero(t, syncMapLen(&svc.mapRunIdx))
	require.Zero(t, syncMapLen(&svc.childIdx))
}

// syncMapLen counts the entries of m.
func syncMapLen(m interface{ Range(func(k, v any) bool) }) int {
	n := 0
	m.Range(func(_, _ any) bool { n++; return true })
	return n
}
