package sfnemu

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/emulator/interp"
	"github.com/stepwire/stepwire/internal/clock"
)

func TestNewRetentionDefaults(t *testing.T) {
	cases := []struct {
		keep int
		age  time.Duration
		want retention
	}{
		{0, 0, retention{keep: DefaultRetainPerMachine, age: DefaultRetainFor}},
		{5, time.Minute, retention{keep: 5, age: time.Minute}},
		{-1, -1, retention{keep: -1, age: -1}},
	}
	for _, c := range cases {
		require.Equal(t, c.want, newRetention(c.keep, c.age), "newRetention(%d, %v)", c.keep, c.age)
	}
}

// retentionService is a Service on a fake clock with the given policy.
func retentionService(t *testing.T, keep int, age time.Duration) (*Service, *clock.Fake) {
	t.Helper()
	clk := clock.NewFake(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
	svc := New(Config{Clock: clk, RetainPerMachine: keep, RetainFor: age})
	t.Cleanup(svc.Close)
	return svc, clk
}

// runNamed starts an execution with a name and waits for its end.
func runNamed(t *testing.T, svc *Service, smArn, name string) string {
	t.Helper()
	out, err := svc.StartExecution(context.Background(), StartExecutionInput{StateMachineArn: smArn, Name: &name})
	require.NoError(t, err)
	_, err = svc.WaitExecution(context.Background(), out.ExecutionArn)
	require.NoError(t, err)
	return out.ExecutionArn
}

func listNames(t *testing.T, svc *Service, smArn string) []string {
	t.Helper()
	list, err := svc.ListExecutions(context.Background(), ListExecutionsInput{StateMachineArn: smArn})
	require.NoError(t, err)
	var names []string
	for _, e := range list.Executions {
		names = append(names, e.Name)
	}
	return names
}

func requireFreed(t *testing.T, svc *Service, arn string) {
	t.Helper()
	_, err := svc.DescribeExecution(context.Background(), arn)
	require.ErrorIs(t, err, ErrExecutionDoesNotExist)
	_, err = svc.GetExecutionHistory(context.Background(), GetExecutionHistoryInput{ExecutionArn: arn})
	require.ErrorIs(t, err, ErrExecutionDoesNotExist)
}

// The newest RetainPerMachine closed executions of a machine stay; older
// ones are freed, as AWS frees them past its retention
// (docs/step-functions.md §6.1), and their names can be used again
// (§4.2). Running executions do not count.
func TestRetentionKeepsTheNewestClosedExecutions(t *testing.T) {
	svc, _ := retentionService(t, 3, 0)
	sm := createMachine(t, svc, "Jobs", "", waitIfAsked)
	name := "running"
	_, err := svc.StartExecution(context.Background(), StartExecutionInput{StateMachineArn: sm, Name: &name, Input: strPtr(`{"wait":1}`)})
	require.NoError(t, err)
	var arns []string
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		arns = append(arns, runNamed(t, svc, sm, n))
	}
	require.Equal(t, []string{"e", "d", "c", "running"}, listNames(t, svc, sm))
	requireFreed(t, svc, arns[0])
	requireFreed(t, svc, arns[1])
	d, err := svc.DescribeExecution(context.Background(), arns[2])
	require.NoError(t, err)
	require.Equal(t, interp.StatusSucceeded, d.Status)

	require.Equal(t, arns[0], runNamed(t, svc, sm, "a"), "a freed name is free again")
	require.Equal(t, []string{"a", "e", "d", "running"}, listNames(t, svc, sm))
}

func strPtr(s string) *string { return &s }

// waitIfAsked waits a minute when its input has "wait", else ends at once.
const waitIfAsked = `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.wait","IsPresent":true,"Next":"W"}],"Default":"P"},` +
	`"W":{"Type":"Wait","Seconds":60,"End":true},"P":{"Type":"Pass","End":true}}}`

// A closed execution is freed RetainFor after it stopped, on the service
// clock.
func TestRetentionFreesByAge(t *testing.T) {
	svc, clk := retentionService(t, 0, time.Hour)
	sm := createMachine(t, svc, "Jobs", "", quickDefinition)
	first := runNamed(t, svc, sm, "first")
	clk.Advance(30 * time.Minute)
	second := runNamed(t, svc, sm, "second")
	clk.Advance(30*time.Minute - time.Millisecond)
	require.Equal(t, []string{"second", "first"}, listNames(t, svc, sm))

	clk.Advance(time.Millisecond)
	requireFreed(t, svc, first)
	require.Equal(t, []string{"second"}, listNames(t, svc, sm))
	clk.Advance(30 * time.Minute)
	requireFreed(t, svc, second)
	require.Empty(t, listNames(t, svc, sm))
}

// DeleteStateMachine frees the machine's closed executions at once and its
// running ones as they end.
func TestDeleteStateMachineFreesItsExecutions(t *testing.T) {
	svc, clk := retentionService(t, 0, 0)
	sm := createMachine(t, svc, "Jobs", "", waitIfAsked)
	closed := runNamed(t, svc, sm, "closed")
	out, err := svc.StartExecution(context.Background(), StartExecutionInput{StateMachineArn: sm, Input: strPtr(`{"wait":1}`)})
	require.NoError(t, err)
	waitSettled(t, svc, out.ExecutionArn)

	require.NoError(t, svc.DeleteStateMachine(context.Background(), sm))
	requireFreed(t, svc, closed)
	d, err := svc.DescribeExecution(context.Background(), out.ExecutionArn)
	require.NoError(t, err)
	require.Equal(t, interp.StatusRunning, d.Status)

	clk.Advance(time.Minute)
	requireFreed(t, svc, out.ExecutionArn)
	require.Zero(t, svc.retained())
}

// Express executions keep nothing once they end: no API reads them
// (docs/step-functions.md §4.2), and StartSyncExecution still answers
// with the result.
func TestExpressExecutionsKeepNothing(t *testing.T) {
	svc, _ := retentionService(t, 0, 0)
	sm := createMachine(t, svc, "Fast", typeExpress, quickDefinition)
	for range 10 {
		_, err := svc.StartExecution(context.Background(), StartExecutionInput{StateMachineArn: sm})
		require.NoError(t, err)
	}
	out, err := svc.StartSyncExecution(context.Background(), StartSyncExecutionInput{StateMachineArn: sm, Input: strPtr(`{"x":1}`)})
	require.NoError(t, err)
	require.Equal(t, interp.StatusSucceeded, out.Status)
	require.JSONEq(t, `{"x":1}`, *out.Output)
	require.Eventually(t, func() bool { return svc.retained() == 0 }, 5*time.Second, time.Millisecond)
}

// However many executions run, a machine holds at most about twice its
// retained count, and the service indexes only the retained ones.
func TestRetentionBoundsMemory(t *testing.T) {
	svc, _ := retentionService(t, 10, 0)
	sm := createMachine(t, svc, "Jobs", "", quickDefinition)
	for range 1000 {
		out, err := svc.StartExecution(context.Background(), StartExecutionInput{StateMachineArn: sm})
		require.NoError(t, err)
		_, err = svc.WaitExecution(context.Background(), out.ExecutionArn)
		require.NoError(t, err)
	}
	require.Equal(t, 10, svc.retained())
	m, err := svc.stateMachine(sm)
	require.NoError(t, err)
	m.mu.RLock()
	defer m.mu.RUnlock()
	require.LessOrEqual(t, len(m.execs), 2*10+64)
	require.Len(t, m.closed, 10)
}

// retained counts the executions the service indexes.
func (s *Service) retained() int {
	s.execMu.RLock()
	defer s.execMu.RUnlock()
	return len(s.execByArn)
}
