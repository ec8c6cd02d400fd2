package events

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/internal/clock"
)

// Pending counts the deliveries queued or being handed on, so that a
// harness on virtual time sees them as work in flight.
func TestPendingCountsDeliveriesUntilHandedOn(t *testing.T) {
	release := make(chan struct{})
	s := New(Config{
		Clock:   clock.NewFake(time.Date(2026, 3, 5, 10, 7, 35, 0, time.UTC)),
		Deliver: func(context.Context, string, []byte) error { <-release; return nil },
	})
	t.Cleanup(s.Close)
	var released sync.Once
	unblock := func() { released.Do(func() { close(release) }) }
	t.Cleanup(unblock) // runs before Close: a failed check must not leave a delivery blocked
	addRule(t, s, "cancel", statesPattern, Target{ID: "t1", Arn: "arn:aws:lambda:us-east-1:123456789012:function:cancel"})
	require.Zero(t, s.Pending())
	_, err := s.PutEvents(context.Background(), []Entry{statusEvent("ABORTED"), statusEvent("TIMED_OUT")})
	require.NoError(t, err)
	require.GreaterOrEqual(t, s.Pending(), 2, "both deliveries count from the moment they are queued")
	unblock()
	require.Eventually(t, func() bool { return s.Pending() == 0 }, 5*time.Second, time.Millisecond)
}
