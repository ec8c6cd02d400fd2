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
// and returns the task the worker got.
func (h *harness) pollStarted(activityArn, sm, input string) (execArn string, task *sfn.GetActivityTaskOutput) {
	h.t.Helper()
	got := h.poll(context.Background(), activityArn, "worker-1")
	h.waitPollers(activityArn, 1)
	execArn = h.start(sm, input)
	task = receive(h.t, got)
	require.NotNil(h.t, task)
	require.NotEmpty(h.t, aws.ToString(task.TaskToken))
	return execArn, task
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
	kinds := eventTypes(events)
	require.Contains(t, kinds, "ActivityScheduled")
	require.Contains(t, kinds, "ActivitySucceeded")
	i := slices.Index(kinds, "ActivityStarted")
	require.GreaterOrEqual(t, i, 0)
	require.Equal(t, "worker-1", aws.ToString(events[i].ActivityStartedEventDetails.WorkerName))

	execArn, task = h.pollStarted(act, sm, `{"job":2}`)
	h.clk.Advance(10 * time.Second)
	out = h.waitStatus(execArn, types.ExecutionStatusFailed)
	require.Equal(t, "States.Timeout", aws.ToString(out.Error))
	_, err = h.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(`{}`)})
	requireAPIError(t, err, "TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'")
}

// Reference §3.3 L: an activity deleted before its task is scheduled fails
// the execution with States.Runtime right after TaskStateEntered.
func TestDeletedActivityFailsExecution(t *testing.T) {
	h := newHarness(t)
	act := h.createActivity("gone")
	sm := h.createMachine("UsesGone", `{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"`+act+`","End":true}}}`)
	_, err := h.client.DeleteActivity(context.Background(), &sfn.DeleteActivityInput{ActivityArn: aws.String(act)})
	require.NoError(t, err)
	execArn := h.start(sm, `{}`)
	out := h.waitStatus(execArn, types.ExecutionStatusFailed)
	require.Equal(t, "States.Runtime", aws.ToString(out.Error))
	require.Contains(t, aws.ToString(out.Cause), "The activity "+act+" does not exist.")
	require.Equal(t, []string{"ExecutionStarted", "TaskStateEntered", "ExecutionFailed"}, eventTypes(h.history(execArn)))
}
