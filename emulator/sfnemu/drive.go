package sfnemu

import (
	"errors"
	"fmt"
	"time"

	"github.com/stepwire/stepwire/emulator/interp"
)

// Driving an execution: who calls its Machine, and when.
//
// A Machine is evaluated by at most one goroutine at a time, its driver,
// and never with a lock held that a request or another execution needs.
// Events for an execution (a timer, a task's outcome, a callback, the
// first state) are deliveries queued in its inbox; the goroutine that
// finds no driver becomes one, or starts one, and evaluates the inbox in
// order. While a step evaluates, e.mu is free: DescribeExecution,
// GetExecutionHistory, ListExecutions and StopExecution answer at once,
// and StopExecution and the execution timeout end the execution without
// waiting for the step (abandon.go), whose result is then discarded.
//
// Without a driver, a Machine may be called with e.mu held for the steps
// that evaluate nothing: Open (ExecutionStarted) and Stop.

// delivery is one event waiting for its execution's Machine.
type delivery struct {
	ev interp.Event // nil: Enter, the execution's first state
	// enterAt is when Enter runs after a redrive; zero: the start date.
	enterAt time.Time
	// reply, when not nil (buffered, capacity 1), receives the step's
	// error once it was applied, refused or discarded.
	reply chan error
	// accept, when not nil, runs with e.mu held just before a step
	// without error is applied.
	accept func()
	// handled is set, under e.mu, once the step was evaluated or
	// discarded; answered once it was answered.
	handled, answered bool
	// at is the time the step was evaluated at (journal_exec.go).
	at time.Time
}

// Driving returns the number of executions whose Machine a goroutine
// drives now: steps evaluating or waiting to. Zero means no execution
// moves until a timer fires or a request or integration arrives; virtual
// time runners wait for it.
func (s *Service) Driving() int64 { return s.drivers.Load() }

// driveMode says who drives an execution that has no driver yet.
type driveMode int

const (
	// driveHere: the caller drives until the inbox is empty. For
	// goroutines that exist for this execution anyway: timers and
	// integrations. On a fake clock a timer's step is then done when the
	// clock's Advance returns.
	driveHere driveMode = iota
	// driveOwn: the caller evaluates its own delivery, whose answer it
	// waits for, and leaves the rest to a new goroutine. For request
	// handlers: SendTask* and GetActivityTask.
	driveOwn
	// driveAway: a new goroutine drives. For StartExecution, which answers
	// before the first state is evaluated.
	driveAway
	// drivePool: the caller, a goroutine of the service's pool, drives
	// until the inbox is empty, then runs one task the steps started
	// (adopt.go).
	drivePool
)

// feed queues d for e's Machine and makes sure a goroutine drives it. A
// closed execution refuses d at once.
func (s *Service) feed(e *execution, d *delivery, mode driveMode) {
	e.mu.Lock()
	s.feedLocked(e, d, mode)
}

// feedLocked is feed for a caller that holds e.mu; it releases it. In
// drivePool mode it returns the task the caller is to run, if any.
func (s *Service) feedLocked(e *execution, d *delivery, mode driveMode) *task {
	if e.status != interp.StatusRunning || s.closed() {
		s.settled(e, d, staleError(e))
		e.mu.Unlock()
		return nil
	}
	e.inbox = append(e.inbox, d)
	if e.driving {
		e.mu.Unlock()
		return nil
	}
	s.startDriving(e)
	e.mu.Unlock()
	if mode == driveAway {
		s.goDrive(e)
		return nil
	}
	return s.drive(e, d, mode)
}

// startDriving makes the caller e's driver. e.mu is held.
func (s *Service) startDriving(e *execution) {
	e.driving = true
	s.drivers.Add(1)
}

// stopDriving gives up driving e and refuses what is still queued. e.mu
// is held.
func (s *Service) stopDriving(e *execution) {
	e.driving = false
	s.drivers.Add(-1)
	s.refuseQueued(e)
}

// refuseQueued answers every queued delivery as stale. e.mu is held.
func (s *Service) refuseQueued(e *execution) {
	for _, d := range e.inbox {
		s.settled(e, d, staleError(e))
	}
	e.inbox = nil
}

// goDrive drives e on a new goroutine of the service. Once the service is
// closed, e stops advancing instead.
func (s *Service) goDrive(e *execution) {
	if s.spawn(e, "the interpreter", func() { s.runTasks(e, s.drive(e, nil, drivePool)) }) {
		return
	}
	e.mu.Lock()
	s.stopDriving(e)
	e.mu.Unlock()
}

// drive evaluates e's inbox in order; the caller is e's driver. It
// returns once the inbox is empty, e has ended or the service closed
// (then e stays as it is), or, in driveOwn mode, once own was settled and
// a new goroutine took over the rest. In drivePool mode it returns the
// task the steps left to the caller, if any.
func (s *Service) drive(e *execution, own *delivery, mode driveMode) *task {
	var adopted task
	for {
		e.mu.Lock()
		if len(e.inbox) == 0 || e.status != interp.StatusRunning || s.closed() {
			if e.status != interp.StatusRunning || s.closed() {
				adopted = task{} // ended meanwhile: nothing to run it for
			}
			s.stopDriving(e)
			e.adopt = nil
			e.mu.Unlock()
			if adopted.run == nil {
				return nil
			}
			return &adopted
		}
		if mode == driveOwn && own.handled {
			e.mu.Unlock()
			s.goDrive(e)
			return nil
		}
		if adopted.run != nil { // more to evaluate first: the task does not wait for it
			s.goTask(e, adopted)
			adopted = task{}
		}
		e.adopt = nil // only this driver's steps may fill a slot
		if mode == drivePool {
			e.adopt = &adopted
		}
		d := e.inbox[0]
		e.inbox[0] = nil
		e.inbox = e.inbox[1:]
		m := e.machine
		e.mu.Unlock()
		s.runStep(e, m, d)
	}
}

// runStep evaluates d on m without e.mu, then applies the step, unless e
// ended meanwhile (StopExecution, the execution timeout): the step is
// then discarded.
func (s *Service) runStep(e *execution, m *interp.Machine, d *delivery) {
	step, panicked, err := s.evaluate(e, m, d)
	e.mu.Lock()
	defer e.mu.Unlock()
	defer s.recoverApply(e, d)
	d.handled = true
	switch {
	case e.machine != m || e.status != interp.StatusRunning:
		s.settled(e, d, staleError(e))
	case panicked != nil:
		s.failRuntime(e, s.logPanic(e, "the interpreter", panicked))
		s.settled(e, d, fmt.Errorf("the interpreter of execution %s panicked: %v", e.arn, panicked))
	case err != nil:
		s.settled(e, d, err)
	default:
		if d.accept != nil {
			d.accept()
		}
		s.journalStep(e, d.at, d.ev)
		s.apply(e, step)
		s.settled(e, d, nil)
	}
}

// recoverApply, deferred with e.mu held, turns a panic while a step is
// applied into the end of e alone, as a panic in evaluation.
func (s *Service) recoverApply(e *execution, d *delivery) {
	v := recover()
	if v == nil {
		return
	}
	s.failRuntime(e, s.logPanic(e, "the driver", v))
	if !d.answered {
		s.settled(e, d, fmt.Errorf("the driver of execution %s panicked: %v", e.arn, v))
	}
}

// evaluate calls the Machine for d. A panic is returned, not raised.
func (s *Service) evaluate(e *execution, m *interp.Machine, d *delivery) (step interp.Step, panicked any, err error) {
	defer func() { panicked = recover() }()
	e.takeDraws()
	if d.ev == nil {
		// The first state's events carry the start date, as if Start had
		// run them with ExecutionStarted.
		if !d.enterAt.IsZero() { // a redrive enters its state at the redrive
			d.at = d.enterAt
			return m.Enter(d.enterAt), nil, nil
		}
		d.at = e.start
		return m.Enter(e.start), nil, nil
	}
	d.at = s.cfg.Clock.Now()
	step, err = m.Handle(d.at, d.ev)
	return step, nil, err
}

// settled answers d with err; when nobody waits, an error other than a
// stale task or timer is logged. e.mu is held.
func (s *Service) settled(e *execution, d *delivery, err error) {
	d.answered = true
	if d.reply != nil {
		d.reply <- err
		return
	}
	if err != nil && !errors.Is(err, interp.ErrUnknownTask) {
		s.log.Warn("execution event refused", "executionArn", e.arn, "event", fmt.Sprintf("%T", d.ev), "err", err)
	}
}

// staleError is the answer to a delivery its execution can no longer
// take: it ended or the service closed.
func staleError(e *execution) error {
	return fmt.Errorf("execution %s is %s: %w", e.arn, e.status, interp.ErrUnknownTask)
}
