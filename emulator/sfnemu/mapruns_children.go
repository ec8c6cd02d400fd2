package sfnemu

import (
	"errors"
	"sync"

	"github.com/stepwire/stepwire/emulator/interp"
)

// Child executions of Distributed Map runs as the execution APIs see
// them: DescribeExecution and GetExecutionHistory take a child's ARN
// (…:execution:<machine>/<label>:<uuid>) as they take any other; the
// child is kept by the execution that started its Map Run (mapruns.go)
// and found through s.childIdx. Retention frees a Map Run and its
// children with that execution (forgetMapRuns).

// childRef is where a child execution is kept: its record, guarded by
// e.mu.
type childRef struct {
	e   *execution
	rec *childRecord
}

// childExecution finds a child execution by its ARN; nil when there is
// none (or retention freed its parent).
func (s *Service) childExecution(arn string) *childRef {
	v, ok := s.childIdx.Load(arn)
	if !ok {
		return nil
	}
	ref := v.(*childRef)
	s.sweepMachine(ref.e.sm, s.cfg.Clock.Now())
	if _, ok := s.childIdx.Load(arn); !ok {
		return nil
	}
	return ref
}

// describeChild is DescribeExecution of a child execution: its Map Run,
// the qualified state machine ARN <machine>/<label>, and the redrive
// status AWS gives a child: REDRIVABLE_BY_MAP_RUN once it failed, was
// aborted or timed out (API_DescribeExecution, redriveStatus).
func describeChild(ref *childRef) ExecutionDescription {
	ref.e.mu.Lock()
	defer ref.e.mu.Unlock()
	c := ref.rec
	out := ExecutionDescription{ExecutionArn: c.info.ExecutionArn, StateMachineArn: c.info.StateMachineArn,
		Name: c.info.Name, MapRunArn: c.info.MapRunArn, Status: c.info.Status, StartDate: c.start, StopDate: c.stop,
		Input: c.info.Input}
	switch c.info.Status {
	case interp.StatusRunning, interp.StatusSucceeded:
		out.RedriveStatus = notRedrivable
		out.RedriveStatusReason = "Execution is " + string(c.info.Status) + " and cannot be redriven"
	default:
		out.RedriveStatus = redrivableByMapRun
	}
	if c.info.Status == interp.StatusSucceeded {
		o := string(c.info.Output)
		out.Output = &o
	}
	out.Error, out.Cause = c.info.Failure.ErrorPtr(), c.info.Failure.CausePtr()
	return out
}

// childHistory is the history of a child execution so far.
func childHistory(ref *childRef) []interp.HistoryEvent {
	ref.e.mu.Lock()
	defer ref.e.mu.Unlock()
	h := ref.rec.history
	return h[:len(h):len(h)]
}

// indexed lists the Map Runs and child executions an execution put in
// the lookup indexes. It has a lock of its own: retention frees an
// execution while its e.mu may be held (release).
type indexed struct {
	mu                sync.Mutex
	mapRuns, children []string
}

// indexMapRun makes a Map Run of e findable by its ARN. e.mu is held.
func (s *Service) indexMapRun(e *execution, arn string) {
	e.indexed.mu.Lock()
	e.indexed.mapRuns = append(e.indexed.mapRuns, arn)
	e.indexed.mu.Unlock()
	s.mapRunIdx.Store(arn, e)
}

// indexChild makes a child execution findable by its ARN. e.mu is held.
func (s *Service) indexChild(e *execution, rec *childRecord) {
	e.indexed.mu.Lock()
	e.indexed.children = append(e.indexed.children, rec.info.ExecutionArn)
	e.indexed.mu.Unlock()
	s.childIdx.Store(rec.info.ExecutionArn, &childRef{e: e, rec: rec})
}

// forgetMapRuns takes the Map Runs of freed executions, and their
// children, out of the lookup indexes.
func (s *Service) forgetMapRuns(freed []*execution) {
	for _, e := range freed {
		e.indexed.mu.Lock()
		for _, arn := range e.indexed.mapRuns {
			s.mapRunIdx.Delete(arn)
		}
		for _, arn := range e.indexed.children {
			s.childIdx.Delete(arn)
		}
		e.indexed.mapRuns, e.indexed.children = nil, nil
		e.indexed.mu.Unlock()
	}
}

// childOnMiss is the child execution arn names when looking it up as an
// execution failed with err ExecutionDoesNotExist; nil otherwise.
func (s *Service) childOnMiss(err error, arn string) *childRef {
	if err == nil || !errors.Is(err, ErrExecutionDoesNotExist) {
		return nil
	}
	return s.childExecution(arn)
}
