package sfnemu

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/interp"
	"github.com/stepwire/stepwire/internal/clock"
)

const catchAllInvokeDefinition = `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f","Payload.$":"$"},"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],"End":true},"Caught":{"Type":"Pass","End":true}}}`

// A task integration that panics fails its execution with States.Runtime
// (no Catch applies) and a cause that names the panic; the service keeps
// running other executions.
func TestPanickingIntegrationFailsOnlyItsExecution(t *testing.T) {
	h := newHarness(t)
	h.invoke = func(_ context.Context, _ string, payload []byte) (InvokeResult, error) {
		if strings.Contains(string(payload), "explode") {
			panic("integration exploded")
		}
		return InvokeResult{Payload: []byte(`{"ok":true}`)}, nil
	}
	sm := h.createMachine("Invoke", catchAllInvokeDefinition)
	bad := h.start(sm, `{"explode":true}`)
	out := h.waitStatus(bad, types.ExecutionStatusFailed)
	require.Equal(t, "States.Runtime", aws.ToString(out.Error))
	require.Contains(t, aws.ToString(out.Cause), "integration exploded")
	require.Contains(t, aws.ToString(out.Cause), "the task of state 'T'")
	events := h.history(bad)
	require.Equal(t, types.HistoryEventTypeExecutionFailed, events[len(events)-1].Type)

	good := h.start(sm, `{}`)
	h.waitStatus(good, types.ExecutionStatusSucceeded)
}

// panicClock panics in Now once armed, as a bug in a timer's path would.
type panicClock struct {
	*clock.Fake
	armed atomic.Bool
}

func (c *panicClock) Now() time.Time {
	if c.armed.CompareAndSwap(true, false) {
		panic("clock exploded")
	}
	return c.Fake.Now()
}

// A panic while a timer fires fails the execution with States.Runtime
// instead of taking down the goroutine that moved the clock.
func TestPanicWhileATimerFiresFailsTheExecution(t *testing.T) {
	fake := clock.NewFake(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
	clk := &panicClock{Fake: fake}
	svc := New(Config{Clock: clk})
	t.Cleanup(svc.Close)
	sm, err := svc.CreateStateMachine(context.Background(), CreateStateMachineInput{Name: "Pause", Definition: `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,"End":true}}}`, RoleArn: roleArn})
	require.NoError(t, err)
	info, err := svc.startExecution(sm.StateMachineArn, nil, nil)
	require.NoError(t, err)
	waitSettled(t, svc, info.arn)
	clk.armed.Store(true)
	fake.Advance(10 * time.Second)
	e, err := svc.execution(info.arn)
	require.NoError(t, err)
	got := e.info()
	require.Equal(t, interp.StatusFailed, got.status)
	require.Equal(t, asl.NewFailure(asl.StatesRuntime, got.failure.Cause), got.failure)
	require.Contains(t, got.failure.Cause, "clock exploded")
}
