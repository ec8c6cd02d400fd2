package sfnemu

import "github.com/stepwire/stepwire/emulator/interp"

// Adopted tasks: a goroutine of the service's pool that drives an
// execution (the first state after StartExecution, a task's outcome) runs
// the next task its steps start itself, once it no longer drives, rather
// than handing it to another goroutine and ending. A round trip through
// a Lambda then takes one hand-off fewer. Only pool goroutines adopt: a
// request handler that drives (SendTask*) answers first, and a timer's
// step stays done when the clock's Advance returns. A step that starts
// several tasks (Parallel, Map) hands the others out as before. An adopted
// task never waits for other deliveries: when more are queued after its
// step, it goes to a goroutine of its own at once; and it does not run
// when its execution ended, or the service closed, before its driver
// stopped.

// task is an integration to run for an execution: its outcome, if any,
// is the execution's next event.
type task struct {
	what string // for a panic's message: "the task of state 'X'"
	run  func() interp.Event
}

// startTask runs t: on the goroutine that drives e when it adopts one and
// has none yet, else on a goroutine of its own (goTask). e.mu is held.
func (s *Service) startTask(e *execution, t task) {
	if e.adopt != nil && e.adopt.run == nil {
		*e.adopt = t
		return
	}
	s.goTask(e, t)
}

// goTask runs t on a goroutine of the pool of its own.
func (s *Service) goTask(e *execution, t task) {
	s.spawn(e, t.what, func() { s.runTasks(e, &t) })
}

// runTasks runs t, feeds its outcome to e and, when that makes the
// caller e's driver, runs the task that drive left it; until a task has
// no outcome or another goroutine drives. The caller is a goroutine of
// the pool.
func (s *Service) runTasks(e *execution, t *task) {
	for t != nil {
		ev := s.perform(e, t)
		if ev == nil {
			return
		}
		e.mu.Lock()
		t = s.feedLocked(e, &delivery{ev: ev}, drivePool)
	}
}

// perform runs t; a panic fails e alone, and t then has no outcome.
func (s *Service) perform(e *execution, t *task) (ev interp.Event) {
	defer s.recoverExecution(e, t.what)
	return t.run()
}
