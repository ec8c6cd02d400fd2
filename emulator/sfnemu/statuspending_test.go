package sfnemu

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/internal/clock"
)

// StatusChangesPending counts the status changes queued or being handed
// to Config.StatusChange, so that a harness on virtual time sees them as
// work in flight.
func TestStatusChangesPendingUntilHandedOn(t *testing.T) {
	release := make(chan struct{})
	svc := New(Config{Clock: clock.NewFake(time.Date(2026, 3, 5, 10, 7, 30, 0, time.UTC)),
		StatusChange: func(context.Context, StatusChangeEvent) { <-release }})
	t.Cleanup(svc.Close)
	var released sync.Once
	unblock := func() { released.Do(func() { close(release) }) }
	t.Cleanup(unblock) // runs before Close: a failed check must not leave a delivery blocked
	ctx := context.Background()
	sm, err := svc.CreateStateMachine(ctx, CreateStateMachineInput{Name: "sm", RoleArn: roleArn,
		Definition: `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`})
	require.NoError(t, err)
	require.Zero(t, svc.StatusChangesPending())
	_, err = svc.StartExecution(ctx, StartExecutionInput{StateMachineArn: sm.StateMachineArn})
	require.NoError(t, err)
	require.Positive(t, svc.StatusChangesPending(), "RUNNING counts from the moment it is queued")
	require.Eventually(t, func() bool { return svc.StatusChangesPending() >= 2 }, 5*time.Second, time.Millisecond,
		"SUCCEEDED waits while RUNNING is handed on")
	unblock()
	require.Eventually(t, func() bool { return svc.StatusChangesPending() == 0 }, 5*time.Second, time.Millisecond)
}
