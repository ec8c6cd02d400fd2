package sfnemu

import (
	"context"
	"encoding/json"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/internal/clock"
)

// Reference §0.3-0.4: a retried callback task gets a fresh token after the
// retry interval (on the fake clock); the token of the failed attempt is
// dead (TaskTimedOut).
func TestRetryGivesFreshToken(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	var calls atomic.Int32
	h.invoke = func(ctx context.Context, fn string, payload []byte) (InvokeResult, error) {
		if calls.Add(1) == 1 {
			var j job
			_ = json.Unmarshal(payload, &j)
			h.jobs <- j
			return InvokeResult{FunctionError: "Unhandled",
				Payload: []byte(`{"errorType":"Lambda.ServiceException","errorMessage":"try again"}`)}, nil
		}
		return h.dispatch(ctx, fn, payload)
	}
	arn := h.start(h.createMachine("OnPremJobs", sampleDefinition), `{"a":1}`)
	first := h.nextJob()
	h.waitArmed(1)
	next, ok := h.clk.Next()
	require.True(t, ok)
	require.Equal(t, 2*time.Second, next.Sub(h.clk.Now()), "IntervalSeconds 2")
	h.clk.AdvanceToNext()
	second := h.nextJob()
	require.NotEqual(t, first.Token, second.Token)

	_, err := h.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(first.Token), Output: aws.String(`{}`)})
	requireAPIError(t, err, "TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'")
	_, err = h.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(second.Token), Output: aws.String(`{"ok":1}`)})
	require.NoError(t, err)
	out := h.waitStatus(arn, types.ExecutionStatusSucceeded)
	require.JSONEq(t, `{"a":1,"lambdaOutput":{"ok":1}}`, aws.ToString(out.Output))
}

// A timer whose deadline has already passed fires without the clock
// moving: a zero-second Wait completes on the fake clock.
func TestZeroWaitCompletes(t *testing.T) {
	h := newHarness(t)
	arn := h.start(h.createMachine("Pause", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":0,"End":true}}}`), `{"x":1}`)
	out := h.waitStatus(arn, types.ExecutionStatusSucceeded)
	require.JSONEq(t, `{"x":1}`, aws.ToString(out.Output))
}

// Wait states run on the injected clock.
func TestWaitOnFakeClock(t *testing.T) {
	h := newHarness(t)
	arn := h.start(h.createMachine("Pause", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`), `{}`)
	h.waitArmed(1)
	h.clk.Advance(time.Hour - time.Second)
	out, err := h.client.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
	require.NoError(t, err)
	require.Equal(t, types.ExecutionStatusRunning, out.Status)
	h.clk.Advance(time.Second)
	out = h.waitStatus(arn, types.ExecutionStatusSucceeded)
	require.Equal(t, time.Hour, out.StopDate.Sub(*out.StartDate))
}

// tickingClock moves one millisecond each time it is read, as a real clock
// does between two reads.
type tickingClock struct{ *clock.Fake }

func (c tickingClock) Now() time.Time {
	t := c.Fake.Now()
	c.Fake.Set(t.Add(time.Millisecond))
	return t
}

// A timer is armed at the interpreter's deadline exactly, however far the
// clock moved since the driver read it.
func TestTimerArmsAtItsExactDeadline(t *testing.T) {
	begin := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	fake := clock.NewFake(begin)
	svc := New(Config{Clock: tickingClock{fake}})
	t.Cleanup(svc.Close)
	at := begin.Add(time.Hour)
	def := `{"StartAt":"W","States":{"W":{"Type":"Wait","Timestamp":"` + at.Format(time.RFC3339) + `","End":true}}}`
	sm, err := svc.CreateStateMachine(context.Background(), CreateStateMachineInput{Name: "Pause", Definition: def, RoleArn: roleArn})
	require.NoError(t, err)
	info, err := svc.startExecution(sm.StateMachineArn, nil, nil)
	require.NoError(t, err)
	waitSettled(t, svc, info.arn)
	next, ok := fake.Next()
	require.True(t, ok, "no timer armed")
	require.Equal(t, at, next)
}
