package sfnemu

import (
	"context"
	"fmt"
	"time"

	"github.com/stepwire/stepwire/emulator/interp"
)

// idlePoll bounds how long WaitIdle sleeps between checks when nothing
// signals progress (a past-due timer firing in its goroutine).
const idlePoll = 200 * time.Microsecond

// MockTokens returns the task tokens that the mocked .waitForTaskToken
// states of a running execution started with a test case delivered with
// Submit responses, in delivery order: what a test acting as the worker
// answers. A closed execution has no test-case run left to ask.
func (s *Service) MockTokens(executionArn string) ([]MockToken, error) {
	e, run, err := s.mockedExecution(executionArn)
	if err != nil {
		return nil, err
	}
	if run == nil {
		return nil, fmt.Errorf("mock tokens of %s: the execution is closed", e.arn)
	}
	run.mu.Lock()
	defer run.mu.Unlock()
	return append([]MockToken(nil), run.tokens...), nil
}

// WaitIdle blocks until an execution started with a test case is idle or
// ctx is done. An idle execution has nothing in flight: it is closed, or
// no step is evaluating or waiting to, every task it scheduled has
// delivered its outcome and no past-due timer is firing. It moves again only when its clock reaches a timer or a
// SendTask*/StopExecution call arrives.
func (s *Service) WaitIdle(ctx context.Context, executionArn string) error {
	e, run, err := s.mockedExecution(executionArn)
	if err != nil || run == nil {
		return err
	}
	t := time.NewTimer(idlePoll)
	defer t.Stop()
	for {
		progressed := run.progressed()
		if s.idle(e, run) {
			return nil
		}
		t.Reset(idlePoll)
		select {
		case <-progressed:
		case <-t.C:
		case <-ctx.Done():
			return fmt.Errorf("wait idle %s: %w", executionArn, ctx.Err())
		}
	}
}

// idle reads the finished count before the history: a task counted as
// finished was scheduled earlier, so equal counts mean nothing was in
// flight in between.
func (s *Service) idle(e *execution, run *mockRun) bool {
	finished := run.finished.Load()
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.status != interp.StatusRunning {
		return true
	}
	if e.driving { // a step evaluates or waits to
		return false
	}
	for _, t := range e.timers {
		if t.t == nil { // past due: its firing goroutine is under way
			return false
		}
	}
	// The tasks of a Distributed Map's child executions run as the
	// execution's own (and count in finished), but their events are in
	// the children's histories.
	scheduled := countScheduled(e.history)
	for _, r := range e.mapRuns {
		for _, c := range r.children {
			scheduled += countScheduled(c.history)
		}
	}
	return scheduled == finished
}

// countScheduled counts the task invocations a history shows.
func countScheduled(history []interp.HistoryEvent) int64 {
	var n int64
	for _, ev := range history {
		if ev.Type == interp.EventTaskScheduled || ev.Type == interp.EventLambdaFunctionScheduled {
			n++
		}
	}
	return n
}

// mockedExecution returns the execution arn and its test-case run; the run
// is nil when the execution is closed (finish drops it).
func (s *Service) mockedExecution(arn string) (*execution, *mockRun, error) {
	e, err := s.execution(arn)
	if err != nil {
		return nil, nil, fmt.Errorf("mocked execution: %w", err)
	}
	e.mu.Lock()
	running := e.status == interp.StatusRunning
	run := s.mocks.run(e.arn) // e.mu held: finish cannot drop it meanwhile
	e.mu.Unlock()
	if run == nil && running {
		return nil, nil, fmt.Errorf("mocked execution %s: not started with a test case", arn)
	}
	return e, run, nil
}
