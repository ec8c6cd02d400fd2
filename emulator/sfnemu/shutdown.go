package sfnemu

import (
	"context"
	"fmt"
	"time"

	"github.com/stepwire/stepwire/emulator/interp"
)

// closeWait bounds how long Close waits for the service's goroutines.
const closeWait = time.Second

// Close stops the service, waiting at most closeWait whatever runs (see
// Shutdown).
func (s *Service) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), closeWait)
	defer cancel()
	_ = s.Shutdown(ctx)
}

// Shutdown stops every timer, cancels the integrations in flight and
// waits for the service's goroutines until ctx ends; a state still
// evaluating is left to its goroutine, and its result is dropped. Running
// executions stay RUNNING and stop advancing. Shutdown logs how many were
// running: without Config.Store they will not resume; with it, what is
// queued for the store is committed and they resume at the next start
// (RestoreExecutions). It reports ctx's error when it stopped waiting.
func (s *Service) Shutdown(ctx context.Context) error {
	if !s.work.Close() {
		return nil
	}
	s.cancel()
	n := s.stopExecutions()
	if s.journal != nil {
		s.log.Info(fmt.Sprintf("stopping with %d executions running; they resume at the next start", n), "running", n)
	} else {
		s.log.Info(fmt.Sprintf("stopping with %d executions running; executions are kept in memory only and will not resume", n),
			"running", n)
	}
	done := make(chan struct{})
	go func() {
		s.work.Wait()
		close(done)
	}()
	defer s.closeJournal()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		s.log.Warn("stopped without waiting for the goroutines still working for executions", "err", ctx.Err())
		return fmt.Errorf("shutdown: %w", ctx.Err())
	}
}

// stopExecutions disarms the timers of every execution and returns how
// many are running.
func (s *Service) stopExecutions() int {
	s.execMu.RLock()
	execs := make([]*execution, 0, len(s.execByID))
	for _, e := range s.execByID {
		execs = append(execs, e)
	}
	s.execMu.RUnlock()
	running := 0
	for _, e := range execs {
		e.mu.Lock()
		e.stopTimers()
		if e.status == interp.StatusRunning {
			running++
		}
		e.mu.Unlock()
	}
	return running
}
