package sfnemu

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

// distributedWait is a Distributed Map whose children wait 10 seconds,
// one at a time.
const distributedWait = `{"StartAt":"M","States":{"M":{"Type":"Map","Label":"Items","MaxConcurrency":1,
 "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"W","States":{
  "W":{"Type":"Wait","Seconds":10,"End":true}}},"End":true}}}`

// TestMapRunAPI checks the AWS API reference pages ListMapRuns,
// DescribeMapRun, UpdateMapRun and ListExecutions (mapRunArn): a running
// Distributed Map's run is listed and described with its counts, raising
// its MaxConcurrency starts the pending child, and its children are
// listed by the run.
func TestMapRunAPI(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	sm := h.createMachine("dm", distributedWait)
	ex := h.start(sm, `[1,2]`)

	var runArn string
	require.Eventually(t, func() bool {
		out, err := h.client.ListMapRuns(ctx, &sfn.ListMapRunsInput{ExecutionArn: aws.String(ex)})
		require.NoError(t, err)
		if len(out.MapRuns) == 1 {
			runArn = aws.ToString(out.MapRuns[0].MapRunArn)
			require.Equal(t, sm+"/Items", aws.ToString(out.MapRuns[0].StateMachineArn))
		}
		return runArn != ""
	}, 5*time.Second, time.Millisecond)
	require.True(t, strings.HasPrefix(runArn, "arn:aws:states:us-east-1:123456789012:mapRun:dm/Items:"), runArn)

	d, err := h.client.DescribeMapRun(ctx, &sfn.DescribeMapRunInput{MapRunArn: aws.String(runArn)})
	require.NoError(t, err)
	require.Equal(t, types.MapRunStatusRunning, d.Status)
	require.Equal(t, int32(1), d.MaxConcurrency)
	require.Equal(t, int64(1), d.ExecutionCounts.Running)
	require.Equal(t, int64(1), d.ExecutionCounts.Pending)
	require.Equal(t, ex, aws.ToString(d.ExecutionArn))

	_, err = h.client.UpdateMapRun(ctx, &sfn.UpdateMapRunInput{MapRunArn: aws.String(runArn), MaxConcurrency: aws.Int32(0)})
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		out, err := h.client.ListExecutions(ctx, &sfn.ListExecutionsInput{MapRunArn: aws.String(runArn)})
		require.NoError(t, err)
		return len(out.Executions) == 2
	}, 5*time.Second, time.Millisecond, "the pending child never started")

	out, err := h.client.ListExecutions(ctx, &sfn.ListExecutionsInput{MapRunArn: aws.String(runArn)})
	require.NoError(t, err)
	for _, c := range out.Executions {
		require.Equal(t, sm+"/Items", aws.ToString(c.StateMachineArn))
		require.True(t, strings.HasSuffix(aws.ToString(c.ExecutionArn), ":execution:dm/Items:"+aws.ToString(c.Name)))
		require.Equal(t, types.ExecutionStatusRunning, c.Status)
	}

	h.clk.Advance(10 * time.Second)
	h.waitStatus(ex, types.ExecutionStatusSucceeded)
	d, err = h.client.DescribeMapRun(ctx, &sfn.DescribeMapRunInput{MapRunArn: aws.String(runArn)})
	require.NoError(t, err)
	require.Equal(t, types.MapRunStatusSucceeded, d.Status)
	require.Equal(t, int64(2), d.ItemCounts.Succeeded)
	require.NotNil(t, d.StopDate)

	_, err = h.client.UpdateMapRun(ctx, &sfn.UpdateMapRunInput{MapRunArn: aws.String(runArn), MaxConcurrency: aws.Int32(2)})
	require.Error(t, err, "a finished run cannot be updated")
}

// TestMapRunAPIErrors checks the errors the API reference lists.
func TestMapRunAPIErrors(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	missing := "arn:aws:states:us-east-1:123456789012:mapRun:dm/Items:00000000-0000-4000-8000-000000000000"
	tests := []struct {
		name string
		call func() error
		code string
	}{
		{"DescribeMapRun unknown run", func() error {
			_, err := h.client.DescribeMapRun(ctx, &sfn.DescribeMapRunInput{MapRunArn: aws.String(missing)})
			return err
		}, "ResourceNotFound"},
		{"DescribeMapRun execution ARN", func() error {
			_, err := h.client.DescribeMapRun(ctx, &sfn.DescribeMapRunInput{MapRunArn: aws.String("arn:aws:states:us-east-1:123456789012:execution:dm:x")})
			return err
		}, "InvalidArn"},
		{"ListMapRuns unknown execution", func() error {
			_, err := h.client.ListMapRuns(ctx, &sfn.ListMapRunsInput{ExecutionArn: aws.String("arn:aws:states:us-east-1:123456789012:execution:dm:x")})
			return err
		}, "ExecutionDoesNotExist"},
		{"UpdateMapRun unknown run", func() error {
			_, err := h.client.UpdateMapRun(ctx, &sfn.UpdateMapRunInput{MapRunArn: aws.String(missing), MaxConcurrency: aws.Int32(1)})
			return err
		}, "ResourceNotFound"},
		{"ListExecutions unknown run", func() error {
			_, err := h.client.ListExecutions(ctx, &sfn.ListExecutionsInput{MapRunArn: aws.String(missing)})
			return err
		}, "ResourceNotFound"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			require.Error(t, err)
			require.Contains(t, err.Error(), tt.code)
		})
	}
}
