package emulator

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepwire/stepwire/emulator/store"
)

// TestRestartResumesExecutions: on the state file, a closed execution
// keeps its history, and one waiting on an activity task resumes after a
// restart: the task is queued again and its token completes the execution
// (docs/durability.md §6).
func TestRestartResumesExecutions(t *testing.T) {
	dir := t.TempDir()
	e := startDurable(t, dir)
	ctx := context.Background()
	c := sfnClient(e)
	act, err := c.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("kept-work")})
	if err != nil {
		e.Close()
		t.Fatal(err)
	}
	def := `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"` + aws.ToString(act.ActivityArn) + `","End":true}}}`
	sm, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("Resumed"), Definition: aws.String(def),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/r")})
	var run *sfn.StartExecutionOutput
	if err == nil {
		run, err = c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: aws.String(`{"n":1}`)})
	}
	if err != nil {
		e.Close()
		t.Fatal(err)
	}
	e = restartDurable(t, e, dir)
	defer e.Close()
	c = sfnClient(e)
	task, err := c.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: act.ActivityArn})
	if err != nil || aws.ToString(task.TaskToken) == "" {
		t.Fatalf("activity task after restart: %v %+v", err, task)
	}
	if _, err := c.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(`{"done":true}`)}); err != nil {
		t.Fatal(err)
	}
	waitExecution(t, c, aws.ToString(run.ExecutionArn), sfntypes.ExecutionStatusSucceeded)
	e = restartDurable(t, e, dir)
	defer e.Close()
	c = sfnClient(e)
	out := waitExecution(t, c, aws.ToString(run.ExecutionArn), sfntypes.ExecutionStatusSucceeded)
	if aws.ToString(out.Output) != `{"done":true}` {
		t.Fatalf("output %s", aws.ToString(out.Output))
	}
	hist, err := c.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: run.ExecutionArn})
	if err != nil || hist.Events[len(hist.Events)-1].Type != sfntypes.HistoryEventTypeExecutionSucceeded {
		t.Fatalf("history after restart: %v", err)
	}
}

// waitExecution polls DescribeExecution until the execution has status.
func waitExecution(t *testing.T, c *sfn.Client, arn string, status sfntypes.ExecutionStatus) *sfn.DescribeExecutionOutput {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		out, err := c.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		if out.Status == status {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("execution %s is %s, want %s", arn, out.Status, status)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestCorruptJournalIsRefused: a state file whose Step Functions records
// do not read back stops the start with an error naming the file, and the
// record is left as it was: never a silent reset (docs/durability.md §3).
func TestCorruptJournalIsRefused(t *testing.T) {
	cases := []struct {
		name, bucket, key, want string
	}{
		{"closed execution", "exec", "d/0000000000000001", "restore executions"},
		{"running execution", "exec", "r/0000000000000001", "restore executions"},
		{"execution step", "exec", "r/0000000000000001/00000000", "restore executions"},
		{"task-token key", "sfn", "tokens", "task-token key"},
		{"state machines", "sfn", "config", "new emulator"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, StateFile)
			st, err := store.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			ops := []store.Op{store.Put(tc.bucket, tc.key, []byte("{not json"))}
			if tc.key == "r/0000000000000001/00000000" { // a readable start before the step
				ops = append(ops, store.Put("exec", "r/0000000000000001", []byte(`{"ID":1}`)))
			}
			if err := st.Apply(ops...); err != nil {
				t.Fatal(err)
			}
			st.Close()
			_, err = New(Config{DataDir: dir, Durable: true, Logger: slog.New(slog.DiscardHandler)})
			if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("New = %v, want an error naming %q and %s", err, tc.want, path)
			}
			if st, err = store.Open(path); err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if v, ok, err := st.Get(tc.bucket, tc.key); !ok || err != nil || string(v) != "{not json" {
				t.Errorf("the unreadable record was changed: %q %v %v", v, ok, err)
			}
		})
	}
}
