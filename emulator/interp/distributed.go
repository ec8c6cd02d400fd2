package interp

import (
	"fmt"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// A Distributed Map runs its items as child executions grouped in a Map
// Run. Here the children are threads of this Machine, like inline
// iterations, but each logs to a history of its own (childExec) and the
// parent's history shows only MapRunStarted and how the run ended
// (docs/step-functions.md, "Distributed Map").

// mapRun is the Map Run of one attempt of a Distributed Map state.
type mapRun struct {
	info             MapRun
	hasCount, hasPct bool
	children         []*childExec
	// totalItems is the number of items (more than the children when
	// batched).
	totalItems int64
	dirty      bool
	// express is set when the children are EXPRESS executions.
	express bool
}

// toleratedFailure is the exceeded-threshold failure of a Map Run.
var toleratedFailure = asl.NewFailure(asl.StatesExceedToleratedFailureThreshold,
	"The specified tolerated failure threshold was exceeded")

// openMapRun starts the Map Run of an attempt of the Distributed Map state
// r, whose MapStateStarted is startedID: it resolves the tolerated
// failures (a bad value fails the execution with States.Runtime and no
// Map Run, as AWS records) and logs MapRunStarted. It reports false when
// the state failed.
func (m *Machine) openMapRun(r *stateRun, startedID int64) bool {
	s := r.state.(*asl.Map)
	b := r.fanOut
	run := &mapRun{totalItems: sum(b.batchSizes, len(b.inputs)), express: s.Distributed.ExecutionType == "EXPRESS"}
	label := s.Distributed.Label
	if label == "" {
		label = r.name
	}
	id := m.newUUID()
	run.info = MapRun{
		MapRunArn:       fmt.Sprintf("arn:aws:states:%s:%s:mapRun:%s/%s:%s", m.opts.Region, m.opts.Account, m.opts.StateMachineName, label, id),
		ExecutionArn:    m.execArnHere(),
		StateMachineArn: m.opts.StateMachineArn + "/" + label,
		Status:          MapRunRunning,
		MaxConcurrency:  int64(b.limit),
	}
	run.info.Executions.Total = int64(len(b.inputs))
	if !m.toleratedFailures(s.Distributed, r, run) {
		return false
	}
	b.run = run
	m.touchRun(run)
	id64 := m.emit(EventMapRunStarted, startedID, &MapRunStartedDetails{MapRunArn: run.info.MapRunArn})
	b.startedID, b.prev, b.last = id64, id64, id64
	return m.status == StatusRunning
}

// sum adds up the batch sizes; without batches every child has one item.
func sum(sizes []int64, n int) int64 {
	if sizes == nil {
		return int64(n)
	}
	var t int64
	for _, s := range sizes {
		t += s
	}
	return t
}

// execArnHere is the ARN of the execution the current thread belongs to.
func (m *Machine) execArnHere() string {
	if c := m.th.child; c != nil {
		return c.info.ExecutionArn
	}
	return m.opts.ExecutionArn
}

// newUUID names a Map Run or a child execution.
func (m *Machine) newUUID() string {
	if m.opts.NewUUID != nil {
		return m.opts.NewUUID()
	}
	m.seq++
	return fmt.Sprintf("00000000-0000-4000-8000-%012d", m.seq)
}

// exceeded reports whether the failed children are more than the run
// tolerates: with neither threshold set any failure is too many; with
// both, going over either is (AWS "Tolerated failure threshold").
func (run *mapRun) exceeded() bool {
	var failed int64
	for _, c := range run.children {
		if c.info.Status == StatusFailed || c.info.Status == StatusTimedOut {
			failed++
		}
	}
	return run.exceededBy(failed, run.info.Executions.Total)
}

// exceededBy reports whether failed children of total are more than the
// run tolerates.
func (run *mapRun) exceededBy(failed, total int64) bool {
	if failed == 0 {
		return false
	}
	if !run.hasCount && !run.hasPct {
		return true
	}
	if run.hasCount && failed > run.info.ToleratedFailureCount {
		return true
	}
	return run.hasPct && float64(failed)*100/float64(total) > run.info.ToleratedFailurePercentage
}

// failMapRun ends a run with the failure f: the children still running
// are aborted, MapRunFailed is logged and the Map state fails with f
// (toleratedFailure when the failures went over the threshold), which its
// Retry and Catch may handle. The current thread is the Map state's.
func (m *Machine) failMapRun(r *stateRun, f asl.Failure) {
	b := r.fanOut
	b.active = false
	for _, c := range b.children {
		if c != nil && !c.done {
			m.abortChildExec(c)
		}
	}
	b.run.info.Status = MapRunFailed
	m.touchRun(b.run)
	id := m.emit(EventMapRunFailed, b.last, errorDetails(f))
	m.fanOutFailed(r, id, taskError{Failure: f})
}

// mapRunSucceeded logs MapRunSucceeded once every child ended within the
// threshold; the Map state's own events follow it.
func (m *Machine) mapRunSucceeded(r *stateRun) {
	b := r.fanOut
	b.run.info.Status = MapRunSucceeded
	m.touchRun(b.run)
	b.last = m.emit(EventMapRunSucceeded, b.last, nil)
}

// abortMapRun marks a cut run (its Map state aborted) ABORTED, aborting
// its children, and logs MapRunAborted.
func (m *Machine) abortMapRun(r *stateRun, prev int64) {
	b := r.fanOut
	for _, c := range b.children {
		if c != nil && !c.done {
			m.abortChildExec(c)
		}
	}
	if b.run.info.Status == MapRunRunning {
		b.run.info.Status = MapRunAborted
		m.touchRun(b.run)
		m.emit(EventMapRunAborted, prev, nil)
	}
}

// updateMapRun applies UpdateMapRun to the running Map Run it names.
func (m *Machine) updateMapRun(e UpdateMapRun) error {
	th := visit(m.root, func(r *stateRun) bool {
		return r.fanOut != nil && r.fanOut.run != nil && r.fanOut.active && r.fanOut.run.info.MapRunArn == e.MapRunArn
	})
	if th == nil {
		return ErrUnknownTask
	}
	m.th = th
	r := th.cur
	b, run := r.fanOut, r.fanOut.run
	if e.MaxConcurrency != nil {
		b.limit = int(min(*e.MaxConcurrency, 1<<30))
		run.info.MaxConcurrency = *e.MaxConcurrency
	}
	if e.ToleratedFailureCount != nil {
		run.info.ToleratedFailureCount, run.hasCount = *e.ToleratedFailureCount, true
	}
	if e.ToleratedFailurePercentage != nil {
		run.info.ToleratedFailurePercentage, run.hasPct = *e.ToleratedFailurePercentage, true
	}
	m.touchRun(run)
	if run.exceeded() {
		m.failMapRun(r, toleratedFailure)
		return nil
	}
	m.pump(r)
	return nil
}

// touchRun marks a run to be reported at the end of the step.
func (m *Machine) touchRun(run *mapRun) {
	if !run.dirty {
		run.dirty = true
		m.dirtyRuns = append(m.dirtyRuns, run)
	}
}

// reportDistributed adds the runs and children the step changed to it.
func (m *Machine) reportDistributed(s *Step) {
	for _, run := range m.dirtyRuns {
		run.dirty = false
		info := run.info
		info.Items, info.Executions = run.counts()
		s.MapRuns = append(s.MapRuns, info)
	}
	m.dirtyRuns = nil
	for _, c := range m.dirtyChildren {
		c.dirty = false
		s.Children = append(s.Children, c.info)
		c.info.Events = nil
	}
	m.dirtyChildren = nil
}

// counts tallies the run's items and child executions by status.
func (run *mapRun) counts() (items, execs MapRunCounts) {
	items.Total, execs.Total = run.totalItems, run.info.Executions.Total
	var started int64
	for _, c := range run.children {
		started += c.items
		var it, ex *int64
		switch c.info.Status {
		case StatusRunning:
			it, ex = &items.Running, &execs.Running
		case StatusSucceeded:
			it, ex = &items.Succeeded, &execs.Succeeded
		case StatusFailed:
			it, ex = &items.Failed, &execs.Failed
		case StatusTimedOut:
			it, ex = &items.TimedOut, &execs.TimedOut
		default:
			it, ex = &items.Aborted, &execs.Aborted
		}
		*it += c.items
		*ex++
	}
	items.Pending = items.Total - started
	execs.Pending = execs.Total - int64(len(run.children))
	return items, execs
}

// failureResult is what a tolerated failed child leaves in the results.
func failureResult(f asl.Failure) any {
	o := jsonv.NewObject(2)
	if p := f.ErrorPtr(); p != nil {
		o.Set("Error", *p)
	}
	if p := f.CausePtr(); p != nil {
		o.Set("Cause", *p)
	}
	return o
}
