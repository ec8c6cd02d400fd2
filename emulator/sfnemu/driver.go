package sfnemu

import (
	"context"
	"time"

	"github.com/stepwire/stepwire/emulator/interp"
	"github.com/stepwire/stepwire/internal/clock"
	"github.com/stepwire/stepwire/internal/hop"
)

// The driver carries out what the interpreter asks for. Steps are
// evaluated by the execution's driver (drive.go) without the execution's
// mutex; their results are applied with it held. Integrations run in
// goroutines without it and report back through deliver.

// apply records a step's events and status and carries out its commands.
// e.mu is held.
func (s *Service) apply(e *execution, step interp.Step) {
	if e.jr.isReplaying() {
		s.replayApply(e, step, s.cfg.Clock.Now())
		return
	}
	e.history = append(e.history, step.Events...)
	s.recordDistributed(e, step, s.cfg.Clock.Now())
	for _, c := range step.Commands {
		s.command(e, c)
	}
	if step.Status != "" {
		e.status = step.Status
	}
	if step.Done {
		s.finish(e, step)
	}
}

func (s *Service) command(e *execution, c interp.Command) {
	switch c := c.(type) {
	case interp.InvokeTask:
		if c.Activity {
			s.scheduleActivity(e, c)
			return
		}
		run := s.mocks.run(e.arn) // read while e runs: a late task stays mocked
		s.startTask(e, task{what: "the task of state '" + c.StateName + "'", run: func() interp.Event { return s.runTask(e, run, c) }})
	case interp.ArmTimer:
		s.armTimer(e, c)
	case interp.CancelTimer:
		if t := e.timers[c.TimerID]; t != nil {
			t.stop()
			delete(e.timers, c.TimerID)
		}
	case interp.CloseToken:
		if e.closed == nil {
			e.closed = map[string]struct{}{}
		}
		e.closed[c.Token] = struct{}{}
	}
}

// timer is one armed timer of an execution. Its identity tells a stale
// firing (cancelled or re-armed since) from the current one.
type timer struct {
	t  clock.Timer
	at time.Time // the deadline, for Deadlines
}

func (t *timer) stop() {
	if t.t != nil {
		t.t.Stop()
	}
}

// armTimer arms a timer on the clock. A deadline already reached fires at
// once, without waiting for the clock to move. e.mu is held.
func (s *Service) armTimer(e *execution, c interp.ArmTimer) {
	if s.closed() {
		return
	}
	if e.timers == nil {
		e.timers = map[string]*timer{}
	}
	if old := e.timers[c.TimerID]; old != nil {
		old.stop()
	}
	id, t := c.TimerID, &timer{at: c.At}
	e.timers[id] = t
	if !c.At.After(s.cfg.Clock.Now()) {
		s.spawn(e, "a timer", func() { s.fire(e, id, t) })
		return
	}
	t.t = s.cfg.Clock.AfterFuncAt(c.At, func() { s.fire(e, id, t) })
}

// fire delivers TimerFired for a timer that reached its deadline. A panic
// fails the execution with States.Runtime instead of the process.
func (s *Service) fire(e *execution, id string, t *timer) {
	defer s.recoverExecution(e, "a timer")
	e.mu.Lock()
	if e.timers[id] != t || s.closed() {
		e.mu.Unlock()
		return // cancelled or re-armed meanwhile
	}
	delete(e.timers, id)
	if id == e.execTimer && e.driving {
		// The execution timeout does not wait for a step in evaluation.
		s.abandon(e, nil)
		e.mu.Unlock()
		return
	}
	s.feedLocked(e, &delivery{ev: interp.TimerFired{TimerID: id}}, driveHere)
}

// finish seals a terminal execution.
func (s *Service) finish(e *execution, step interp.Step) {
	e.stop = s.cfg.Clock.Now()
	e.failure = step.Failure
	if step.Status == interp.StatusSucceeded {
		e.output = step.Output
	}
	e.stopTimers()
	if !e.keepsMachine(step.Status) {
		e.machine = nil // closed executions keep only their record
	}
	s.journalEnd(e)
	s.mocks.drop(e.arn)
	s.notifyStatus(e, e.infoLocked())
	e.closeDone()
	s.release(e)
	if s.hopsOn() {
		hop.Log(context.Background(), s.log, "done", "status", step.Status, "executionArn", e.arn)
	}
}

// stopTimers disarms every timer of e. e.mu is held.
func (e *execution) stopTimers() {
	for id, t := range e.timers {
		t.stop()
		delete(e.timers, id)
	}
}

// deliver hands an integration's outcome to the execution.
func (s *Service) deliver(e *execution, ev interp.Event) {
	if ev == nil {
		return
	}
	s.feed(e, &delivery{ev: ev}, driveHere)
}

// handle feeds one event to a running execution that has no driver, with
// e.mu held: only for events that evaluate nothing (Stop). A panic fails
// the execution with States.Runtime and is returned as an error.
func (s *Service) handle(e *execution, ev interp.Event) (err error) {
	defer s.recoverLocked(e, "the interpreter", &err)
	if e.status != interp.StatusRunning {
		return staleError(e)
	}
	at := s.cfg.Clock.Now()
	e.takeDraws()
	step, err := e.machine.Handle(at, ev)
	if err != nil {
		return err
	}
	s.journalStep(e, at, ev)
	s.apply(e, step)
	return nil
}
