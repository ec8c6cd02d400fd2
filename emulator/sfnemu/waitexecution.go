package sfnemu

import (
	"context"
	"fmt"

	"github.com/stepwire/stepwire/emulator/interp"
)

// WaitExecution blocks until the execution ends or ctx is done, and
// returns its final status. It is the in-process alternative to polling
// DescribeExecution, for tests and benchmarks.
func (s *Service) WaitExecution(ctx context.Context, arn string) (interp.Status, error) {
	e, err := s.execution(arn)
	if err != nil {
		return "", fmt.Errorf("wait execution: %w", err)
	}
	select {
	case <-e.doneChan():
		return e.info().status, nil
	case <-ctx.Done():
		return "", fmt.Errorf("wait execution %s: %w", arn, ctx.Err())
	}
}
