package sfnemu

import (
	"fmt"
	"runtime/debug"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/interp"
)

// recoverExecution, deferred by the service's goroutines and timer
// callbacks working for e, turns a panic into the end of e alone: the
// panic and its stack are logged and e, if still running, fails with
// States.Runtime. The emulator keeps serving every other execution.
func (s *Service) recoverExecution(e *execution, what string) {
	v := recover()
	if v == nil {
		return
	}
	cause := s.logPanic(e, what, v)
	e.mu.Lock()
	defer e.mu.Unlock()
	s.failRuntime(e, cause)
}

// recoverLocked is recoverExecution for code that holds e.mu; it sets
// *err, when err is not nil, to say that the call failed.
func (s *Service) recoverLocked(e *execution, what string, err *error) {
	v := recover()
	if v == nil {
		return
	}
	cause := s.logPanic(e, what, v)
	s.failRuntime(e, cause)
	if err != nil {
		*err = fmt.Errorf("%s of execution %s panicked: %v", what, e.arn, v)
	}
}

// logPanic logs a recovered panic with its stack and returns the cause the
// failed execution reports.
func (s *Service) logPanic(e *execution, what string, v any) string {
	s.log.Error("execution driver panicked", "executionArn", e.arn, "in", what,
		"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
	return fmt.Sprintf("stepwire internal error: %s of this execution panicked: %v", what, v)
}

// failRuntime ends a running execution with ExecutionFailed States.Runtime
// without asking its Machine, which may be inconsistent after a panic.
// e.mu is held.
func (s *Service) failRuntime(e *execution, cause string) {
	if e.status != interp.StatusRunning {
		return
	}
	s.refuseQueued(e)
	s.terminate(e, failedStep(asl.StatesRuntime, cause))
}
