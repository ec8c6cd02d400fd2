package sfnemu

import (
	"time"
)

// Retention of closed executions. AWS keeps a closed Standard execution
// readable for 90 days (docs/step-functions.md §6.1). stepwire keeps, per
// state machine, the newest Config.RetainPerMachine closed executions, each
// for at most Config.RetainFor after it stopped (on the service clock), and
// frees the others: DescribeExecution, GetExecutionHistory and the task
// tokens then find nothing (ExecutionDoesNotExist, TaskDoesNotExist), as on
// AWS past its retention, and the name can be used again. A deleted state
// machine's executions are freed as they close. Express executions keep
// nothing once they end: no API reads them (docs/step-functions.md §4.2).

// Retention defaults: enough for a developer's recent history, bounded
// however many executions a load test starts.
const (
	DefaultRetainPerMachine = 1000
	DefaultRetainFor        = 24 * time.Hour
)

// sweepEvery is how often, on the service clock, requests trigger the
// age-based sweep of every machine.
const sweepEvery = time.Second

// retention is the policy in force; a limit <= 0 does not apply.
type retention struct {
	keep int
	age  time.Duration
}

// newRetention resolves the configured policy: zero is the default,
// negative is no limit.
func newRetention(keep int, age time.Duration) retention {
	if keep == 0 {
		keep = DefaultRetainPerMachine
	}
	if age == 0 {
		age = DefaultRetainFor
	}
	return retention{keep: keep, age: age}
}

// expired reports whether an execution that stopped at stop is past the
// policy's age at now.
func (r retention) expired(stop, now time.Time) bool {
	return r.age > 0 && !now.Before(stop.Add(r.age))
}

// closedRecord is a retained closed execution and when it stopped.
type closedRecord struct {
	e    *execution
	stop time.Time
}

// retire records that e, a Standard execution of sm, closed at stop, and
// returns the executions that are to be freed now: e itself when sm is
// being deleted, else the oldest closed ones past the policy. sm.mu is
// held.
func (sm *stateMachine) retire(e *execution, stop time.Time, r retention, now time.Time) []*execution {
	if sm.deleting {
		sm.markFreed(e)
		return []*execution{e}
	}
	sm.closed = append(sm.closed, closedRecord{e: e, stop: stop})
	return sm.evict(r, now)
}

// evict frees the oldest closed executions beyond the count or past the
// age of r. sm.mu is held.
func (sm *stateMachine) evict(r retention, now time.Time) []*execution {
	var freed []*execution
	for len(sm.closed) > 0 {
		oldest := sm.closed[0]
		if !(r.keep > 0 && len(sm.closed) > r.keep) && !r.expired(oldest.stop, now) {
			break
		}
		sm.closed[0] = closedRecord{}
		sm.closed = sm.closed[1:]
		sm.markFreed(oldest.e)
		freed = append(freed, oldest.e)
	}
	sm.compact(false)
	return freed
}

// freeClosed frees every closed execution: the machine is deleted. sm.mu
// is held.
func (sm *stateMachine) freeClosed() []*execution {
	freed := make([]*execution, 0, len(sm.closed))
	for _, c := range sm.closed {
		sm.markFreed(c.e)
		freed = append(freed, c.e)
	}
	sm.closed = nil
	sm.compact(true)
	return freed
}

// markFreed takes e out of the machine's listings. sm.mu is held.
func (sm *stateMachine) markFreed(e *execution) {
	e.freed = true
	sm.freedInExecs++
}

// compact drops freed executions from sm.execs once they are at least
// half of it (or at once when now), into a new array: a listing taken
// before keeps its own. sm.mu is held.
func (sm *stateMachine) compact(now bool) {
	if sm.freedInExecs == 0 || !now && (sm.freedInExecs < 64 || 2*sm.freedInExecs < len(sm.execs)) {
		return
	}
	kept := make([]*execution, 0, len(sm.execs)-sm.freedInExecs)
	for _, e := range sm.execs {
		if !e.freed {
			kept = append(kept, e)
		}
	}
	sm.execs, sm.freedInExecs = kept, 0
}

// forget removes freed executions from the service's indexes.
func (s *Service) forget(freed []*execution) {
	if len(freed) == 0 {
		return
	}
	s.journalFree(freed)
	s.forgetMapRuns(freed)
	s.execMu.Lock()
	defer s.execMu.Unlock()
	for _, e := range freed {
		if s.execByArn[e.arn] == e {
			delete(s.execByArn, e.arn)
		}
		if s.execByID[e.id] == e {
			delete(s.execByID, e.id)
		}
	}
}

// sweep frees, on every machine, the closed executions past the age of the
// policy. Requests call it; it works at most once per sweepEvery of the
// service clock. A request that reads a machine's executions sweeps that
// machine first (sweepMachine), so what it reads is exact.
func (s *Service) sweep() {
	if s.retention.age <= 0 {
		return
	}
	now := s.cfg.Clock.Now()
	next := s.nextSweep.Load()
	if now.UnixNano() < next || !s.nextSweep.CompareAndSwap(next, now.Add(sweepEvery).UnixNano()) {
		return
	}
	for _, sm := range s.stateMachines() {
		s.sweepMachine(sm, now)
	}
}

// sweepMachine frees sm's closed executions past the age of the policy at
// now.
func (s *Service) sweepMachine(sm *stateMachine, now time.Time) {
	if s.retention.age <= 0 {
		return
	}
	sm.mu.Lock()
	freed := sm.evict(s.retention, now)
	sm.mu.Unlock()
	s.forget(freed)
}
