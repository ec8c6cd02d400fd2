package sfnemu

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/emulator/interp"
	"github.com/stepwire/stepwire/internal/clock"
)

// statusService is a Service whose status changes arrive on a channel.
func statusService(t *testing.T) (*Service, *clock.Fake, chan StatusChangeEvent) {
	t.Helper()
	clk := clock.NewFake(time.Date(2026, 3, 5, 10, 7, 30, 123e6, time.UTC))
	ch := make(chan StatusChangeEvent, 16)
	svc := New(Config{Clock: clk, StatusChange: func(_ context.Context, ev StatusChangeEvent) { ch <- ev }})
	t.Cleanup(svc.Close)
	return svc, clk, ch
}

func nextStatus(t *testing.T, ch chan StatusChangeEvent) StatusChangeEvent {
	t.Helper()
	select {
	case ev := <-ch:
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no status change")
		return StatusChangeEvent{}
	}
}

func TestStatusChangeRunningThenAborted(t *testing.T) {
	ctx := context.Background()
	svc, clk, ch := statusService(t)
	sm, err := svc.CreateStateMachine(ctx, CreateStateMachineInput{Name: "sm", RoleArn: roleArn,
		Definition: `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`})
	require.NoError(t, err)
	name, input := "exec-1", `{"k":1}`
	out, err := svc.StartExecution(ctx, StartExecutionInput{StateMachineArn: sm.StateMachineArn, Name: &name, Input: &input})
	require.NoError(t, err)

	running := nextStatus(t, ch)
	require.Equal(t, interp.StatusRunning, running.Status)
	require.Equal(t, out.ExecutionArn, running.ExecutionArn)
	require.Equal(t, sm.StateMachineArn, running.StateMachineArn)

	clk.Advance(5 * time.Second)
	_, err = svc.StopExecution(ctx, StopExecutionInput{ExecutionArn: out.ExecutionArn})
	require.NoError(t, err)
	aborted := nextStatus(t, ch)
	require.Equal(t, interp.StatusAborted, aborted.Status)

	var d map[string]any
	require.NoError(t, json.Unmarshal(aborted.Detail(), &d))
	require.Equal(t, out.ExecutionArn, d["executionArn"])
	require.Equal(t, sm.StateMachineArn, d["stateMachineArn"])
	require.Equal(t, "exec-1", d["name"])
	require.Equal(t, "ABORTED", d["status"])
	require.Equal(t, float64(1772705250123), d["startDate"])
	require.Equal(t, float64(1772705255123), d["stopDate"])
	require.Equal(t, `{"k":1}`, d["input"])
	require.Equal(t, map[string]any{"included": true}, d["inputDetails"])
	for _, k := range []string{"output", "outputDetails", "stateMachineVersionArn", "stateMachineAliasArn", "redriveDate"} {
		v, ok := d[k]
		require.True(t, ok, k)
		require.Nil(t, v, k)
	}
	require.Equal(t, "REDRIVABLE", d["redriveStatus"])
	require.Equal(t, "Execution is ABORTED and is redrivable", d["redriveStatusReason"])

	var r map[string]any
	require.NoError(t, json.Unmarshal(running.Detail(), &r))
	require.Nil(t, r["stopDate"])
	require.Equal(t, "NOT_REDRIVABLE", r["redriveStatus"])
}

func TestStatusChangeSucceededAndTimedOut(t *testing.T) {
	ctx := context.Background()
	svc, clk, ch := statusService(t)
	pass, err := svc.CreateStateMachine(ctx, CreateStateMachineInput{Name: "pass", RoleArn: roleArn,
		Definition: `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"ok":true},"End":true}}}`})
	require.NoError(t, err)
	_, err = svc.StartExecution(ctx, StartExecutionInput{StateMachineArn: pass.StateMachineArn})
	require.NoError(t, err)
	require.Equal(t, interp.StatusRunning, nextStatus(t, ch).Status)
	done := nextStatus(t, ch)
	require.Equal(t, interp.StatusSucceeded, done.Status)
	var d map[string]any
	require.NoError(t, json.Unmarshal(done.Detail(), &d))
	require.Equal(t, `{"ok":true}`, d["output"])
	require.Equal(t, map[string]any{"included": true}, d["outputDetails"])

	slow, err := svc.CreateStateMachine(ctx, CreateStateMachineInput{Name: "slow", RoleArn: roleArn,
		Definition: `{"TimeoutSeconds":10,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`})
	require.NoError(t, err)
	_, err = svc.StartExecution(ctx, StartExecutionInput{StateMachineArn: slow.StateMachineArn})
	require.NoError(t, err)
	require.Equal(t, interp.StatusRunning, nextStatus(t, ch).Status)
	clk.Advance(10 * time.Second)
	timedOut := nextStatus(t, ch)
	require.Equal(t, interp.StatusTimedOut, timedOut.Status)
	require.NoError(t, json.Unmarshal(timedOut.Detail(), &d))
	// The detail mirrors DescribeExecution, which shows no error for an
	// execution timeout (docs/step-functions.md §5); the key is there.
	_, ok := d["error"]
	require.True(t, ok)
}

func TestStatusChangeExpressSendsNothing(t *testing.T) {
	ctx := context.Background()
	svc, _, ch := statusService(t)
	sm, err := svc.CreateStateMachine(ctx, CreateStateMachineInput{Name: "x", RoleArn: roleArn, Type: "EXPRESS",
		Definition: `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`})
	require.NoError(t, err)
	_, err = svc.StartExecution(ctx, StartExecutionInput{StateMachineArn: sm.StateMachineArn})
	require.NoError(t, err)
	// A Standard execution started afterwards is the first event seen:
	// the status queue is ordered, so nothing of the Express one came.
	std, err := svc.CreateStateMachine(ctx, CreateStateMachineInput{Name: "std", RoleArn: roleArn,
		Definition: `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`})
	require.NoError(t, err)
	started, err := svc.StartExecution(ctx, StartExecutionInput{StateMachineArn: std.StateMachineArn})
	require.NoError(t, err)
	require.Equal(t, started.ExecutionArn, nextStatus(t, ch).ExecutionArn)
}
