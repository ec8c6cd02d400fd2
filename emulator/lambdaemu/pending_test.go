package lambdaemu

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/stretchr/testify/require"
)

// AsyncPending counts an Event invocation from InvokeAsync until its
// handler returns, so that a harness on virtual time sees it as work in
// flight before it has started.
func TestAsyncPendingCountsEventInvocationsUntilTheyReturn(t *testing.T) {
	s := New("us-east-1", "123456789012", nil)
	t.Cleanup(s.Close)
	release := make(chan struct{})
	var released sync.Once
	unblock := func() { released.Do(func() { close(release) }) }
	t.Cleanup(unblock) // runs before Close: a failed check must not leave a delivery blocked
	s.Register(Function{Name: "slow", Handler: lambda.NewHandler(func(context.Context) error { <-release; return nil })})
	require.Zero(t, s.AsyncPending())
	require.NoError(t, s.InvokeAsync(context.Background(), "slow", []byte(`{}`)))
	require.EqualValues(t, 1, s.AsyncPending())
	unblock()
	require.Eventually(t, func() bool { return s.AsyncPending() == 0 }, 5*time.Second, time.Millisecond)
	s.Close()
	require.Error(t, s.InvokeAsync(context.Background(), "slow", []byte(`{}`)))
	require.Zero(t, s.AsyncPending(), "a refused invocation is not pending")
}
