package sfnemu

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/stepwire/stepwire/emulator/interp"
)

// Rebuilding an execution from its journal (docs/durability.md §6): its
// Machine is opened again with the journaled start and fed the journaled
// deliveries at their times, drawing the journaled values, so that it
// logs the same history; the commands it gives are not carried out but
// kept as outstanding. A RUNNING execution then resumes: the timers
// still armed are armed again at their original due times (at once when
// past), and the tasks whose outcome was not journaled are started again
// (at-least-once, as AWS's own retries).

// replayExecution rebuilds e's history and state from its start record
// and steps, then the terminal step made outside its Machine, if any.
func (s *Service) replayExecution(e *execution, steps []stepRecord, term *termRecord) (err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("replay of %s panicked: %v", e.arn, v)
		}
	}()
	e.jr.replaying = true
	e.jr.pendingTasks, e.jr.pendingTimers = map[string]interp.InvokeTask{}, map[string]time.Time{}
	start := e.jr.start.Draws
	e.jr.replay = &start
	e.machine = interp.New(e.rev.def, json.RawMessage(e.input), s.machineOptions(e))
	step := e.machine.Open(e.start)
	for _, c := range step.Commands {
		if t, ok := c.(interp.ArmTimer); ok {
			e.execTimer = t.TimerID
		}
	}
	s.replayApply(e, e.markStarted(step), e.start)
	for i := range steps {
		if e.status != interp.StatusRunning && steps[i].Kind != redriveKind {
			break
		}
		if err := s.replayStep(e, steps[i]); err != nil {
			return fmt.Errorf("replay of %s, step %d: %w", e.arn, i, err)
		}
	}
	if term != nil && e.status == interp.StatusRunning {
		d := term.Details
		s.replayApply(e, interp.Step{Events: []interp.HistoryEvent{{Type: term.Type, Details: &d}},
			Done: true, Status: term.Status, Failure: term.Failure}, term.At)
		e.machine = nil // ended outside its Machine, as terminate does
	}
	e.jr.replay = nil
	return nil
}

// replayStep feeds one journaled delivery to e's Machine. e.mu is held.
func (s *Service) replayStep(e *execution, r stepRecord) error {
	d := r.Draws
	e.jr.replay = &d
	switch r.Kind {
	case "": // the first state, at the start or at a redrive
		s.replayApply(e, e.machine.Enter(r.At), r.At)
		return nil
	case redriveKind:
		return s.replayRedrive(e, r)
	}
	ev, err := decodeEvent(r.Kind, r.Event)
	if err != nil {
		return err
	}
	if ev, err = s.fullToken(e, ev); err != nil {
		return err
	}
	e.jr.settle(ev)
	step, err := e.machine.Handle(r.At, ev)
	if err != nil {
		return err
	}
	s.replayApply(e, step, r.At)
	return nil
}

// settle forgets what ev answers: a task's outcome or a timer's firing.
func (j *execJournal) settle(ev interp.Event) {
	switch ev := ev.(type) {
	case interp.TaskInvoked:
		delete(j.pendingTasks, ev.TaskID)
	case interp.TaskFailed:
		delete(j.pendingTasks, ev.TaskID)
	case interp.ActivityStarted:
		delete(j.pendingTasks, ev.TaskID)
	case interp.TimerFired:
		delete(j.pendingTimers, ev.TimerID)
	}
}

// replayApply is apply while replaying: events and status are recorded,
// commands kept as outstanding. e.mu is held.
func (s *Service) replayApply(e *execution, step interp.Step, at time.Time) {
	// Events terminate() made carry their ids in the record's order.
	for _, ev := range step.Events {
		if ev.ID == 0 {
			ev.ID = int64(len(e.history)) + 1
			ev.Timestamp = at
			if ev.Type == interp.EventExecutionFailed {
				ev.PreviousEventID = ev.ID - 1
			}
		}
		e.history = append(e.history, ev)
	}
	s.recordDistributed(e, step, at)
	for _, c := range step.Commands {
		e.jr.keep(e, c)
	}
	if step.Status != "" {
		e.status = step.Status
	}
	if step.Done {
		e.stop, e.failure = at, step.Failure
		if step.Status == interp.StatusSucceeded {
			e.output = step.Output
		}
		if !e.keepsMachine(step.Status) {
			e.machine = nil
		}
		// A closed execution awaits nothing, as finish stops its timers;
		// a redrive arms its own.
		clear(e.jr.pendingTasks)
		clear(e.jr.pendingTimers)
	}
}

// keep records a command as outstanding. e.mu is held.
func (j *execJournal) keep(e *execution, c interp.Command) {
	switch c := c.(type) {
	case interp.InvokeTask:
		j.pendingTasks[c.TaskID] = c
	case interp.ArmTimer:
		j.pendingTimers[c.TimerID] = c.At
	case interp.CancelTimer:
		delete(j.pendingTimers, c.TimerID)
	case interp.CloseToken:
		if e.closed == nil {
			e.closed = map[string]struct{}{}
		}
		e.closed[c.Token] = struct{}{}
	}
}

// resume carries out what a replayed RUNNING execution still awaits:
// timers are armed at their due times, tasks started again, and the first
// state entered when it was not yet. It reports whether e needs a driver.
// e.mu is held.
func (s *Service) resume(e *execution) bool {
	e.jr.replaying = false
	for id, at := range e.jr.pendingTimers {
		s.armTimer(e, interp.ArmTimer{TimerID: id, At: at})
	}
	for _, c := range e.jr.pendingTasks {
		s.command(e, c)
	}
	e.jr.pendingTasks, e.jr.pendingTimers = nil, nil
	enter := e.jr.redriveEnter() // the state a redrive re-enters
	if enter == nil && len(e.jr.steps) > 0 {
		return false
	}
	if enter == nil {
		enter = &delivery{} // Enter: the first state
	}
	e.inbox = append(e.inbox, enter)
	s.startDriving(e)
	return true
}

// errNoMachine is a journaled execution whose state machine is gone.
var errNoMachine = errors.New("its state machine is not in the state file")
