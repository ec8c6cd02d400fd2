package emulatortest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepwire/stepwire/emulator/store"
)

// A restarted durable emulator listens where the first one did, on the
// same clock, and an SDK client made before the restart finds there the
// execution it started, still waiting on its activity, whose task it can
// then take and complete.
func TestRestartKeepsAddressesAndState(t *testing.T) {
	for _, kill := range []bool{false, true} {
		t.Run(map[bool]string{false: "graceful", true: "killed"}[kill], func(t *testing.T) { testRestart(t, kill) })
	}
}

func testRestart(t *testing.T, kill bool) {
	srv := New(t, WithDurable(), WithFakeClock())
	ends, clk := srv.Endpoints(), srv.Clock
	ctx := context.Background()
	c := sfn.NewFromConfig(srv.AWSConfig())
	act, err := c.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("work")})
	if err != nil {
		t.Fatal(err)
	}
	def := `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"` + aws.ToString(act.ActivityArn) + `","End":true}}}`
	sm, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("M"), Definition: aws.String(def),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/r")})
	if err != nil {
		t.Fatal(err)
	}
	run, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn})
	if err != nil {
		t.Fatal(err)
	}

	restart := srv.Restart
	if kill {
		restart = func() error { return srv.KillAndRestart(nil) }
	}
	if err := restart(); err != nil {
		t.Fatal(err)
	}
	if got := srv.Endpoints(); got.HTTP != ends.HTTP || got.MQTT != ends.MQTT {
		t.Fatalf("endpoints after restart %+v, want %+v", got, ends)
	}
	if srv.Clock != clk {
		t.Fatal("the restarted emulator has another clock")
	}
	task, err := c.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: act.ActivityArn})
	if err != nil || aws.ToString(task.TaskToken) == "" {
		t.Fatalf("activity task after restart: %v", err)
	}
	if _, err := c.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(`{}`)}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) { // polling, with a deadline
		d, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: run.ExecutionArn})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status == sfntypes.ExecutionStatusSucceeded {
			return
		}
		if d.Status != sfntypes.ExecutionStatusRunning || time.Now().After(deadline) {
			t.Fatalf("execution after restart: %s, want SUCCEEDED", d.Status)
		}
	}
}

// An in-memory emulator refuses to restart: it would come back empty.
func TestRestartNeedsDurable(t *testing.T) {
	srv := New(t)
	if err := srv.Restart(); !errors.Is(err, ErrNotDurable) {
		t.Fatalf("Restart = %v, want ErrNotDurable", err)
	}
}

// A killed emulator's state file takes no more writes and keeps the ones
// committed before.
func TestKilledStoreRefusesWrites(t *testing.T) {
	srv := &Server{}
	st := srv.killable(store.NewMem())
	if err := st.Apply(store.Put("b", "before", []byte("1"))); err != nil {
		t.Fatal(err)
	}
	srv.state.killed.Store(true)
	if err := st.Apply(store.Put("b", "after", []byte("2"))); !errors.Is(err, errKilled) {
		t.Fatalf("Apply after the kill = %v, want errKilled", err)
	}
	if _, ok, _ := st.Get("b", "after"); ok {
		t.Fatal("a write after the kill reached the store")
	}
	if v, ok, _ := st.Get("b", "before"); !ok || string(v) != "1" {
		t.Fatalf("a write before the kill is lost: %q %v", v, ok)
	}
}
