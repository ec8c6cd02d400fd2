package sfnemu

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/emulator/interp"
	"github.com/stepwire/stepwire/internal/clock"
)

// endlessDefinition's one state evaluates a JSONata expression that would
// run for a very long time under a generous budget.
const endlessDefinition = `{"QueryLanguage":"JSONata","StartAt":"Spin","States":{"Spin":{"Type":"Pass",
	"Output":"{% $reduce([1..100000], function($a,$i){$reduce([1..100000], function($b,$j){$b+$j}, $a)}, 0) %}","End":true}}}`

// A stopped execution's evaluation gives up instead of running to the end
// of its budget: no goroutine keeps working for an execution that ended
// (docs/step-functions.md §2.4).
func TestStopEndsTheEvaluationItself(t *testing.T) {
	svc := New(Config{Clock: clock.NewFake(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)), MaxEvalSteps: 1 << 50})
	t.Cleanup(svc.Close)
	arn := startExec(t, svc, createMachine(t, svc, "Endless", "", endlessDefinition))
	require.Eventually(t, func() bool { return svc.Driving() == 1 }, 5*time.Second, time.Millisecond)
	_, err := svc.StopExecution(context.Background(), StopExecutionInput{ExecutionArn: arn})
	require.NoError(t, err)
	require.Eventually(t, func() bool { return svc.Driving() == 0 }, 10*time.Second, time.Millisecond,
		"the abandoned evaluation still runs")
	d, err := svc.DescribeExecution(context.Background(), arn)
	require.NoError(t, err)
	require.Equal(t, interp.StatusAborted, d.Status)
}

// Past the service's step budget the same expression fails the state with
// States.QueryEvaluationError naming the limit (docs/step-functions.md §1.8).
func TestBudgetEndsAnEndlessExpression(t *testing.T) {
	svc := New(Config{Clock: clock.NewFake(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)), MaxEvalSteps: 100_000})
	t.Cleanup(svc.Close)
	arn := startExec(t, svc, createMachine(t, svc, "Endless", "", endlessDefinition))
	status, err := svc.WaitExecution(context.Background(), arn)
	require.NoError(t, err)
	require.Equal(t, interp.StatusFailed, status)
	d, err := svc.DescribeExecution(context.Background(), arn)
	require.NoError(t, err)
	require.Equal(t, "States.QueryEvaluationError", *d.Error)
	require.Contains(t, *d.Cause, "budget of 100000 steps")
}
