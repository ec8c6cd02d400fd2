package sfnemu

import (
	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/interp"
)

// Ending an execution without its Machine. StopExecution and the
// execution timeout take effect at once even while a step evaluates
// (drive.go): the terminal event is logged now, after the events already
// recorded, and the step's result is discarded when it returns. So is a
// panic's: the Machine may be inconsistent after one.

// abandon ends a running execution while its driver evaluates a step:
// ExecutionAborted for ev, or ExecutionTimedOut when ev is nil. Queued
// deliveries are refused. e.mu is held.
func (s *Service) abandon(e *execution, stop *interp.Stop) {
	if e.status != interp.StatusRunning {
		return
	}
	e.abandoned.Store(true)
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
	f := asl.ErrorOnly(asl.StatesTimeout)
	return interp.Step{
		Events: []interp.HistoryEvent{{Type: interp.EventExecutionTimedOut, Details: &interp.ErrorDetails{Error: f.ErrorPtr()}}},
		Done:   true, Status: interp.StatusTimedOut,
	}
}

// abortedStep is the end StopExecution gives (docs/step-functions.md §2.4):
// ExecutionAborted with the error and cause given, keys left out when not.
func abortedStep(stop interp.Stop) interp.Step {
	d := &interp.ErrorDetails{Error: stop.ErrorPtr(), Cause: stop.CausePtr()}
	return interp.Step{
		Events: []interp.HistoryEvent{{Type: interp.EventExecutionAborted, Details: d}},
		Done:   true, Status: interp.StatusAborted,
		Failure: stop.Failure,
	}
}

// failedStep is ExecutionFailed with a runtime error, the end of an
// execution whose driver panicked. Its previousEventId is the last event.
func failedStep(name asl.ErrorName, cause string) interp.Step {
	f := asl.NewFailure(name, cause)
	return interp.Step{
		Events: []interp.HistoryEvent{{Type: interp.EventExecutionFailed, Details: &interp.ErrorDetails{Error: f.ErrorPtr(), Cause: f.CausePtr()}}},
		Done:   true, Status: interp.StatusFailed,
		Failure: f,
	}
}

// terminate applies a terminal step made outside the Machine: its one
// event gets the next id and the current time; ExecutionFailed points at
// the last event, ExecutionAborted and ExecutionTimedOut at 0
// (docs/step-functions.md §0.9). The execution is then not redrivable.
// e.mu is held.
func (s *Service) terminate(e *execution, step interp.Step) {
	var last int64
	if n := len(e.history); n > 0 {
		last = e.history[n-1].ID
	}
	ev := &step.Events[0]
	ev.ID, ev.Timestamp = last+1, s.cfg.Clock.Now()
	if ev.Type == interp.EventExecutionFailed {
		ev.PreviousEventID = last
	}
	e.journalTerm(step)
	s.apply(e, step)
	// Its Machine did not end, and a discarded step may have moved it: it
	// cannot be redriven, in memory as after a replay (journal_redrive.go).
	e.machine = nil
}
