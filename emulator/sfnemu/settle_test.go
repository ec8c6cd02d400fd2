package sfnemu

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// waitSettled waits until no goroutine drives the execution (its first
// state and whatever followed are evaluated) and returns its record.
// StartExecution answers before the first state runs.
func waitSettled(t testing.TB, s *Service, arn string) execInfo {
	t.Helper()
	e, err := s.execution(arn)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		e.mu.Lock()
		defer e.mu.Unlock()
		return !e.driving
	}, 5*time.Second, time.Millisecond, "execution %s still driven", arn)
	return e.info()
}
