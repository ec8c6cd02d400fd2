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

func (h *harness) createActivity(name string) string {
	h.t.Helper()
	out, err := h.client.CreateActivity(context.Background(), &sfn.CreateActivityInput{Name: aws.String(name)})
	require.NoError(h.t, err)
	return aws.ToString(out.ActivityArn)
}

// Reference §4.2, §4.5: the activity registry. CreateActivity is
// idempotent by name; a deleted activity does not exist.
func TestActivityAPI(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	arn := h.createActivity("on-prem-jobs")
	require.Equal(t, "arn:aws:states:us-east-1:123456789012:activity:on-prem-jobs", arn)
	require.Equal(t, arn, h.createActivity("on-prem-jobs"))
	other := h.createActivity("second")

	got, err := h.client.DescribeActivity(ctx, &sfn.DescribeActivityInput{ActivityArn: aws.String(arn)})
	require.NoError(t, err)
	require.Equal(t, "on-prem-jobs", aws.ToString(got.Name))
	require.Equal(t, h.clk.Now().Unix(), got.CreationDate.Unix())

	page, err := h.client.ListActivities(ctx, &sfn.ListActivitiesInput{MaxResults: 1})
	require.NoError(t, err)
	require.Len(t, page.Activities, 1)
	require.Equal(t, arn, aws.ToString(page.Activities[0].ActivityArn))
	page, err = h.client.ListActivities(ctx, &sfn.ListActivitiesInput{MaxResults: 1, NextToken: page.NextToken})
	require.NoError(t, err)
	require.Equal(t, other, aws.ToString(page.Activities[0].ActivityArn))
	require.Nil(t, page.NextToken)

	_, err = h.client.DeleteActivity(ctx, &sfn.DeleteActivityInput{ActivityArn: aws.String(arn)})
	require.NoError(t, err)
	_, err = h.client.DeleteActivity(ctx, &sfn.DeleteActivityInput{ActivityArn: aws.String(arn)})
	require.NoError(t, err, "deleting twice is not an error")
	_, err = h.client.DescribeActivity(ctx, &sfn.DescribeActivityInput{ActivityArn: aws.String(arn)})
	requireAPIError(t, err, "ActivityDoesNotExist", "Activity Does Not Exist: '"+arn+"'")
	_, err = h.client.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: aws.String(arn)})
	requireAPIError(t, err, "ActivityDoesNotExist", "Activity Does Not Exist: '"+arn+"'")
}

// Conformance api_errors test_create_activity_invalid_name[*] and
// test_get_activity_task_invalid_arn.
func TestActivityErrors(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	for _, name := range []string{"activity/name", "activity name", "activity*name", "activity>name", `activity"name`,
		"activity`name", "activity#name", "activity&name", "activity<name", "activity;name", `activity\name`,
		"activity|name", "activity]name", "activity[name", "activity~name", "activity:name", "activity\x1f",
		"activity\x7f", "\x00activity", "activity{name", "activity}name", "activity?name", "activity%name",
		"activity^name", "activity$name", "activity,name", "activity\tname"} {
		_, err := h.client.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String(name)})
		requireAPIError(t, err, "InvalidName", "Invalid Name: '"+name+"'")
	}
	long := strings.Repeat("a", 81)
	_, err := h.client.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String(long)})
	requireAPIError(t, err, "ValidationException", "1 validation error detected: Value '"+long+
		"' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80")
	_, err = h.client.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: aws.String("no_an_activity_arn")})
	requireAPIError(t, err, "InvalidArn", "Invalid Arn: 'Invalid ARN prefix: no_an_activity_arn'")
	sm := h.createMachine("OnPremJobs", passDefinition)
	_, err = h.client.DescribeActivity(ctx, &sfn.DescribeActivityInput{ActivityArn: aws.String(sm)})
	requireAPIError(t, err, "InvalidArn", "Invalid Arn: 'Resource type not valid in this context: stateMachine'")

	// Conformance api_errors test_illegal_activity_task.
	act := h.createActivity("activity-a280b121")
	_, err = h.client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("express_statemachine_ca2bb17c"),
		Type: types.StateMachineTypeExpress, RoleArn: aws.String(roleArn),
		Definition: aws.String(`{"Comment":"BASE_ACTIVITY_TASK","StartAt":"ActivityTask","States":{"ActivityTask":{"Type":"Task","Resource":"` + act + `","End":true}}}`)})
	requireAPIError(t, err, "InvalidDefinition", "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does not support Activity ARN at /States/ActivityTask/Resource'")
}

// poll runs GetActivityTask in the background.
func (h *harness) poll(ctx context.Context, arn, worker string) <-chan *sfn.GetActivityTaskOutput {
	ch := make(chan *sfn.GetActivityTaskOutput, 1)
	go func() {
		out, err := h.client.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: aws.String(arn), WorkerName: aws.String(worker)})
		if err != nil {
			out = nil
		}
		ch <- out
	}()
	return ch
}

func receive[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(5 * time.Second):
		t.Fatal("nothing received within 5s")
		var zero T
		return zero
	}
}

// waitPollers waits until n GetActivityTask calls wait on the activity.
func (h *harness) waitPollers(arn string, n int) {
	h.t.Helper()
	a, err := h.svc.activity(arn)
	require.NoError(h.t, err)
	require.Eventually(h.t, func() bool {
		a.mu.Lock()
		defer a.mu.Unlock()
		return len(a.queue.pollers) == n
	}, 5*time.Second, time.Millisecond)
}

// Reference §4.5: GetActivityTask long-polls 60 s on the service clock and
// answers without a task when none came.
func TestGetActivityTaskLongPoll(t *testing.T) {
	h := newHarness(t)
	arn := h.createActivity("jobs")
	got := h.poll(context.Background(), arn, "w1")
	h.waitTimers(1)
	h.clk.Advance(59 * time.Second)
	select {
	case <-got:
		t.Fatal("the poll returned before 60 s")
	default:
	}
	h.clk.Advance(time.Second)
	out := receive(t, got)
	require.NotNil(t, out)
	require.Nil(t, out.TaskToken)
	require.Nil(t, out.Input)
	h.waitPollers(arn, 0)
}

// A poll ends with its HTTP request; a task that arrives afterwards waits
// for the next poller.
func TestGetActivityTaskCancelled(t *testing.T) {
	h := newHarness(t)
	arn := h.createActivity("jobs")
	ctx, cancel := context.WithCancel(context.Background())
	got := h.poll(ctx, arn, "w1")
	h.waitPollers(arn, 1)
	cancel()
	require.Nil(t, receive(t, got))
	h.waitPollers(arn, 0)
	require.Equal(t, 0, h.clk.Pending(), "the poll's timer is stopped")
}

// queueTask puts a task of a running execution on the activity's queue,
// as scheduling an activity Task state does, and returns its token.
func (h *harness) queueTask(activityArn, input string) (execArn, token string) {
	h.t.Helper()
	sm := h.createMachine("OnPremJobs", sampleDefinition)
	execArn = h.start(sm, input)
	token = h.nextJob().Token
	a, err := h.svc.activity(activityArn)
	require.NoError(h.t, err)
	h.svc.execMu.RLock()
	e := h.svc.execByArn[execArn]
	h.svc.execMu.RUnlock()
	a.push(&activityTask{e: e, taskID: "task-1", token: token, input: input})
	return execArn, token
}

// Reference §4.5: a queued task goes to the next poller; a waiting poller
// gets the next task; the token then works with SendTask*.
func TestGetActivityTaskHandsOutTasks(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	arn := h.createActivity("jobs")
	execArn, token := h.queueTask(arn, `{"job":1}`)
	out := receive(t, h.poll(ctx, arn, "w1"))
	require.Equal(t, token, aws.ToString(out.TaskToken))
	require.Equal(t, `{"job":1}`, aws.ToString(out.Input))
	_, err := h.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: out.TaskToken, Output: aws.String(`{}`)})
	require.NoError(t, err)
	h.waitStatus(execArn, types.ExecutionStatusSucceeded)

	got := h.poll(ctx, arn, "w2")
	h.waitPollers(arn, 1)
	_, token = h.queueTask(arn, `{"job":2}`)
	require.Equal(t, token, aws.ToString(receive(t, got).TaskToken))
}

// Reference §2.4: a task whose execution was stopped while it was queued
// is not handed out.
func TestGetActivityTaskSkipsEndedTasks(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	arn := h.createActivity("jobs")
	execArn, _ := h.queueTask(arn, `{"job":1}`)
	_, err := h.client.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: aws.String(execArn)})
	require.NoError(t, err)
	got := h.poll(ctx, arn, "w1")
	h.waitPollers(arn, 1)
	h.clk.Advance(60 * time.Second)
	require.Nil(t, receive(t, got).TaskToken)
}

// Reference §3.3 L: a Task whose activity does not exist (deleted before
// the task was scheduled) fails the execution with States.Runtime.
func TestActivityDeletedBeforeScheduling(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	act := h.createActivity("gone")
	_, err := h.client.DeleteActivity(ctx, &sfn.DeleteActivityInput{ActivityArn: aws.String(act)})
	require.NoError(t, err)
	sm := h.createMachine("UsesActivity", `{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"`+act+`","End":true}}}`)
	out := h.waitStatus(h.start(sm, `{}`), types.ExecutionStatusFailed)
	require.Equal(t, "States.Runtime", aws.ToString(out.Error))
	require.Contains(t, aws.ToString(out.Cause), "The activity "+act+" does not exist.")
}
