package emulator

import (
	"context"
	"log/slog"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// TestRestartKeepsRedrive: on the state file, an execution failed by
// SendTaskFailure and redriven is RUNNING again after a restart with its
// redrive count, completes with the task token of the redrive, and logs
// the history an in-memory emulator logs for the same calls; a second
// restart replays it event for event (docs/durability.md §6).
func TestRestartKeepsRedrive(t *testing.T) {
	dir := t.TempDir()
	want := redriveActivity(t, func() *Emulator {
		e, err := New(Config{DataDir: t.TempDir(), TemplatePath: "../template.yaml", Logger: slog.New(slog.DiscardHandler)})
		if err == nil {
			err = e.Start(context.Background())
		}
		if err != nil {
			t.Fatal(err)
		}
		return e
	}, false)
	got := redriveActivity(t, func() *Emulator { return startDurable(t, dir) }, true)
	if !slices.Equal(want, got) {
		t.Fatalf("history on the state file\n%v\nin memory\n%v", got, want)
	}
}

// redriveActivity runs an activity task to failure, redrives it and
// completes it, restarting the emulator after the redrive when restart is
// set; it returns the history's event types.
func redriveActivity(t *testing.T, open func() *Emulator, restart bool) []sfntypes.HistoryEventType {
	ctx := context.Background()
	e := open()
	defer func() { e.Close() }()
	c := sfnClient(e)
	act, err := c.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("redriven-work")})
	if err != nil {
		t.Fatal(err)
	}
	def := `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"` + aws.ToString(act.ActivityArn) + `","End":true}}}`
	sm, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("Redriven"), Definition: aws.String(def),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/r")})
	if err != nil {
		t.Fatal(err)
	}
	run, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: aws.String(`{"n":1}`)})
	if err != nil {
		t.Fatal(err)
	}
	arn := run.ExecutionArn
	task := takeActivity(t, c, act.ActivityArn)
	if _, err := c.SendTaskFailure(ctx, &sfn.SendTaskFailureInput{TaskToken: task, Error: aws.String("Job.Failed")}); err != nil {
		t.Fatal(err)
	}
	waitExecution(t, c, aws.ToString(arn), sfntypes.ExecutionStatusFailed)
	if _, err := c.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: arn}); err != nil {
		t.Fatal(err)
	}
	reopen := func() {
		if !restart {
			return
		}
		if err := e.Close(); err != nil {
			t.Fatal(err)
		}
		e = open()
		c = sfnClient(e)
	}
	reopen()
	d := waitExecution(t, c, aws.ToString(arn), sfntypes.ExecutionStatusRunning)
	if aws.ToInt32(d.RedriveCount) != 1 || d.RedriveDate == nil {
		t.Fatalf("after the redrive: redriveCount %d, redriveDate %v", aws.ToInt32(d.RedriveCount), d.RedriveDate)
	}
	task = takeActivity(t, c, act.ActivityArn) // queued again by the redrive
	if _, err := c.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: task, Output: aws.String(`{"done":true}`)}); err != nil {
		t.Fatal(err)
	}
	d = waitExecution(t, c, aws.ToString(arn), sfntypes.ExecutionStatusSucceeded)
	if aws.ToString(d.Output) != `{"done":true}` || aws.ToInt32(d.RedriveCount) != 1 {
		t.Fatalf("output %s, redriveCount %d", aws.ToString(d.Output), aws.ToInt32(d.RedriveCount))
	}
	before := historyTypes(t, c, arn)
	reopen()
	if after := historyTypes(t, c, arn); !slices.Equal(before, after) {
		t.Fatalf("history after the second restart\n%v\nbefore\n%v", after, before)
	}
	return before
}

// takeActivity returns the token of the activity's next task.
func takeActivity(t *testing.T, c *sfn.Client, activity *string) *string {
	t.Helper()
	task, err := c.GetActivityTask(context.Background(), &sfn.GetActivityTaskInput{ActivityArn: activity})
	if err != nil || aws.ToString(task.TaskToken) == "" {
		t.Fatalf("activity task: %v %+v", err, task)
	}
	return task.TaskToken
}

// historyTypes returns the types of an execution's events, in order.
func historyTypes(t *testing.T, c *sfn.Client, arn *string) []sfntypes.HistoryEventType {
	t.Helper()
	hist, err := c.GetExecutionHistory(context.Background(), &sfn.GetExecutionHistoryInput{ExecutionArn: arn})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]sfntypes.HistoryEventType, len(hist.Events))
	for i, ev := range hist.Events {
		out[i] = ev.Type
	}
	return out
}
