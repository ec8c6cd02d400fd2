package scheduler

import (
	"time"

	"github.com/stepwire/stepwire/emulator/scheduler/schedexpr"
	"github.com/stepwire/stepwire/internal/clock"
)

// entry is one schedule's timing: its expression, zone and window, the
// timer armed for its next fire time, and what a fire does.
type entry struct {
	expr       schedexpr.Expr
	loc        *time.Location
	base       time.Time  // what a rate counts from
	start, end *time.Time // the window; nil for none
	enabled    bool

	// run is called, outside the service's lock, with the scheduled time.
	run func(at time.Time)
	// done is called, under the lock, after the last fire the schedule
	// will ever make; it may remove the entry.
	done func()

	// sched is the Scheduler schedule; nil for a rule's.
	sched *Schedule

	timer clock.Timer
	gen   int // bumped on every (re)arm, so a stale timer does nothing
	runs  int
	// finished is set once done ran.
	finished bool
}

// next is the entry's first fire time after after, within its window.
func (e *entry) next(after time.Time) (time.Time, bool) {
	if e.start != nil && after.Before(*e.start) && e.expr.Kind() != schedexpr.At {
		after = e.start.Add(-time.Nanosecond)
	}
	t, ok := e.expr.Next(after, e.base, e.loc)
	if !ok || (e.end != nil && e.expr.Kind() != schedexpr.At && t.After(*e.end)) {
		return time.Time{}, false
	}
	return t, true
}

func (e *entry) disarm() {
	e.gen++
	if e.timer != nil {
		e.timer.Stop()
		e.timer = nil
	}
}

// arm sets the entry's timer for its next fire time after after; s.mu held.
func (s *Service) arm(e *entry, after time.Time) {
	e.disarm()
	if !e.enabled || s.closed {
		return
	}
	at, ok := e.next(after)
	if !ok {
		if e.done != nil && e.runs > 0 {
			e.done()
			e.finished = true
		}
		return
	}
	gen := e.gen
	e.timer = s.cfg.Clock.AfterFuncAt(at, func() { s.fire(e, gen, at) })
}

// fire runs a due entry: it arms the next fire first, so timers stay in
// order on a fake clock, then runs the target outside the lock. A
// one-time schedule's run, or a schedule deleting itself, is saved after
// the run (at least once across a crash, docs/durability.md §4).
func (s *Service) fire(e *entry, gen int, at time.Time) {
	s.mu.Lock()
	if e.gen != gen || s.closed {
		s.mu.Unlock()
		return
	}
	e.timer = nil
	e.runs++
	s.arm(e, at)
	saveAfter := e.sched != nil && (e.expr.Kind() == schedexpr.At || e.finished)
	s.mu.Unlock()
	e.run(at)
	if saveAfter {
		s.saveAfterRun(e, at)
	}
}
