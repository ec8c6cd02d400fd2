package sfnemu

import (
	"context"
	"time"

	"github.com/stepwire/stepwire/emulator/interp"
)

// Map Runs of Distributed Map states: the interpreter reports them, and
// their child executions, with each step (interp.Step MapRuns and
// Children); the execution keeps them for DescribeMapRun, ListMapRuns,
// UpdateMapRun and ListExecutions with a mapRunArn.

// mapRunRecord is a Map Run as the service keeps it.
type mapRunRecord struct {
	info        interp.MapRun
	start, stop time.Time
	children    []*childRecord
}

// childRecord is a child execution of a Map Run.
type childRecord struct {
	info        interp.ChildExecution // Events unset: see history
	history     []interp.HistoryEvent
	start, stop time.Time
}

// recordDistributed keeps the runs and children a step reported. e.mu is
// held.
func (s *Service) recordDistributed(e *execution, step interp.Step, at time.Time) {
	for _, r := range step.MapRuns {
		rec := e.mapRun(r.MapRunArn)
		if rec == nil {
			rec = &mapRunRecord{start: at}
			e.mapRuns = append(e.mapRuns, rec)
			s.indexMapRun(e, r.MapRunArn)
		}
		rec.info = r
		if r.Status != interp.MapRunRunning && rec.stop.IsZero() {
			rec.stop = at
		}
	}
	for _, c := range step.Children {
		rec := e.mapRun(c.MapRunArn)
		if rec == nil {
			continue
		}
		var ch *childRecord
		for _, x := range rec.children {
			if x.info.ExecutionArn == c.ExecutionArn {
				ch = x
			}
		}
		if ch == nil {
			ch = &childRecord{start: at, info: c}
			rec.children = append(rec.children, ch)
			s.indexChild(e, ch)
		}
		ch.history = append(ch.history, c.Events...)
		ch.info = c
		ch.info.Events = nil
		if c.Status != interp.StatusRunning && ch.stop.IsZero() {
			ch.stop = at
		}
	}
}

// mapRun finds one of e's runs. e.mu is held.
func (e *execution) mapRun(arn string) *mapRunRecord {
	for _, r := range e.mapRuns {
		if r.info.MapRunArn == arn {
			return r
		}
	}
	return nil
}

// MapRunDescription is DescribeMapRun's answer.
type MapRunDescription struct {
	MapRunArn, ExecutionArn     string
	Status                      interp.MapRunStatus
	StartDate, StopDate         time.Time
	MaxConcurrency              int64
	ToleratedFailurePercentage  float64
	ToleratedFailureCount       int64
	ItemCounts, ExecutionCounts interp.MapRunCounts
}

// MapRunListItem is one entry of ListMapRuns.
type MapRunListItem struct {
	ExecutionArn, MapRunArn, StateMachineArn string
	StartDate, StopDate                      time.Time
}

// MapRunList is a page of ListMapRuns.
type MapRunList struct {
	MapRuns []MapRunListItem
	Next    int
}

// UpdateMapRunInput changes a running Map Run; nil fields stay.
type UpdateMapRunInput struct {
	MapRunArn                  string
	MaxConcurrency             *int64
	ToleratedFailurePercentage *float64
	ToleratedFailureCount      *int64
}

// findMapRun returns the execution holding a Map Run and a copy of it.
func (s *Service) findMapRun(arn string) (*execution, mapRunRecord, error) {
	if _, err := parseArn(arn, "mapRun"); err != nil {
		return nil, mapRunRecord{}, err
	}
	v, ok := s.mapRunIdx.Load(arn)
	if !ok {
		return nil, mapRunRecord{}, fail(ErrResourceNotFound, "Resource not found: '"+arn+"'")
	}
	e := v.(*execution)
	e.mu.Lock()
	defer e.mu.Unlock()
	rec := e.mapRun(arn)
	if rec == nil {
		return nil, mapRunRecord{}, fail(ErrResourceNotFound, "Resource not found: '"+arn+"'")
	}
	return e, *rec, nil
}

// DescribeMapRun describes a Map Run.
func (s *Service) DescribeMapRun(_ context.Context, arn string) (MapRunDescription, error) {
	_, r, err := s.findMapRun(arn)
	if err != nil {
		return MapRunDescription{}, err
	}
	return MapRunDescription{MapRunArn: r.info.MapRunArn, ExecutionArn: r.info.ExecutionArn, Status: r.info.Status,
		StartDate: r.start, StopDate: r.stop, MaxConcurrency: r.info.MaxConcurrency,
		ToleratedFailurePercentage: r.info.ToleratedFailurePercentage, ToleratedFailureCount: r.info.ToleratedFailureCount,
		ItemCounts: r.info.Items, ExecutionCounts: r.info.Executions}, nil
}

// ListMapRuns lists the Map Runs an execution started, oldest first.
func (s *Service) ListMapRuns(_ context.Context, executionArn string, p Page) (MapRunList, error) {
	e, err := s.execution(executionArn)
	if err != nil {
		return MapRunList{}, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	from, to, err := p.bounds(len(e.mapRuns))
	if err != nil {
		return MapRunList{}, err
	}
	out := MapRunList{MapRuns: []MapRunListItem{}, Next: next(to, len(e.mapRuns))}
	for _, r := range e.mapRuns[from:to] {
		out.MapRuns = append(out.MapRuns, MapRunListItem{ExecutionArn: r.info.ExecutionArn, MapRunArn: r.info.MapRunArn,
			StateMachineArn: r.info.StateMachineArn, StartDate: r.start, StopDate: r.stop})
	}
	return out, nil
}

// UpdateMapRun changes the concurrency limit or tolerated failures of a
// running Map Run.
func (s *Service) UpdateMapRun(_ context.Context, in UpdateMapRunInput) error {
	e, r, err := s.findMapRun(in.MapRunArn)
	if err != nil {
		return err
	}
	if in.MaxConcurrency == nil && in.ToleratedFailureCount == nil && in.ToleratedFailurePercentage == nil {
		return fail(ErrValidation, "At least one of the parameters maxConcurrency, toleratedFailurePercentage or toleratedFailureCount must be provided")
	}
	if r.info.Status != interp.MapRunRunning {
		return fail(ErrValidation, "Map Run is not running: "+in.MapRunArn)
	}
	s.feed(e, &delivery{ev: interp.UpdateMapRun{MapRunArn: in.MapRunArn, MaxConcurrency: in.MaxConcurrency,
		ToleratedFailurePercentage: in.ToleratedFailurePercentage, ToleratedFailureCount: in.ToleratedFailureCount}}, driveHere)
	return nil
}

// listChildren is ListExecutions with a mapRunArn: the run's child
// executions, newest first.
func (s *Service) listChildren(in ListExecutionsInput) (ExecutionList, error) {
	e, r, err := s.findMapRun(in.MapRunArn)
	if err != nil {
		return ExecutionList{}, err
	}
	e.mu.Lock()
	var all []ExecutionDescription
	for i := len(r.children) - 1; i >= 0; i-- {
		c := r.children[i]
		if in.StatusFilter != "" && c.info.Status != in.StatusFilter {
			continue
		}
		all = append(all, ExecutionDescription{ExecutionArn: c.info.ExecutionArn, StateMachineArn: c.info.StateMachineArn,
			Name: c.info.Name, Status: c.info.Status, StartDate: c.start, StopDate: c.stop})
	}
	e.mu.Unlock()
	from, to, err := in.Page.bounds(len(all))
	if err != nil {
		return ExecutionList{}, err
	}
	return ExecutionList{Executions: append([]ExecutionDescription{}, all[from:to]...), Next: next(to, len(all))}, nil
}
