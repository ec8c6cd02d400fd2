package sfnemu

import "github.com/stepwire/stepwire/emulator/interp"

// Ending an execution without its Machine. StopExecution and the
// execution timeout take effect at once even while a step evaluates
// (drive.go): the terminal event is logged now, after the events already
// recorded, and the step's result is discarded when it returns. So is a
// panic's: the Machine may be inconsistent after one.

// abandon ends a running execution while its driver evaluates a step:
// ExecutionAborted for ev, or ExecutionTimedOut when ev is nil. Queued
// deliveries are refused. e.mu is held.
func (s *Service) abandon(e *execution, stop *interp.Stop) {
	if e.status != statusRunning {
		return
	}
	s.refuseQueued(e)
	if stop == nil {
		s.terminate(e, timedOutStep())
		return
	}
	s.terminate(e, abortedStep(*stop))
}

// timedOutStep is the end the execution timeout gives (docs/step-functions.md
// §3.3 G): ExecutionTimedOut {error: States.Timeout}, and DescribeExecution
// shows neither error nor cause.
func timedOutStep() interp.Step {
	errName := "States.Timeout"
	return interp.Step{
		Events: []interp.HistoryEvent{{Type: "ExecutionTimedOut", DetailsKey: "executionTimedOutEventDetails",
			Details: &interp.ErrorDetails{Error: &errName}}},
		Done: true, Status: interp.StatusTimedOut,
	}
}

// abortedStep is the end StopExecution gives (docs/step-functions.md §2.4):
// ExecutionAborted with the error and cause given, keys left out when not.
func abortedStep(stop interp.Stop) interp.Step {
	d := &interp.ErrorDetails{}
	if stop.HasError {
		d.Error = &stop.Error
	}
	if stop.HasCause {
		d.Cause = &stop.Cause
	}
	return interp.Step{
		Events: []interp.HistoryEvent{{Type: "ExecutionAborted", DetailsKey: "executionAbortedEventDetails", Details: d}},
		Done:   true, Status: interp.StatusAborted,
		Error: stop.Error, Cause: stop.Cause, HasError: stop.HasError, HasCause: stop.HasCause,
	}
}

// failedStep is ExecutionFailed with a runtime error, the end of an
// execution whose driver panicked. Its previousEventId is the last event.
func failedStep(errName, cause string) interp.Step {
	return interp.Step{
		Events: []interp.HistoryEvent{{Type: "ExecutionFailed", DetailsKey: "executionFailedEventDetails",
			Details: &interp.ErrorDetails{Error: &errName, Cause: &cause}}},
		Done: true, Status: interp.StatusFailed,
		Error: errName, Cause: cause, HasError: true, HasCause: true,
	}
}

// terminate applies a terminal step made outside the Machine: its one
// event gets the next id and the current time; ExecutionFailed points at
// the last event, ExecutionAborted and ExecutionTimedOut at 0
// (docs/step-functions.md §0.9). e.mu is held.
func (s *Service) terminate(e *execution, step interp.Step) {
	var last int64
	if n := len(e.history); n > 0 {
		last = e.history[n-1].ID
	}
	ev := &step.Events[0]
	ev.ID, ev.Timestamp = last+1, s.cfg.Clock.Now()
	if ev.Type == "ExecutionFailed" {
		ev.PreviousEventID = last
	}
	s.apply(e, step)
}
