package sfnemu

import (
	"context"
	"slices"
	"time"

	"github.com/stepwire/stepwire/emulator/interp"
)

// The read side of executions: DescribeExecution, ListExecutions and
// GetExecutionHistory.

// DescribeExecution describes an execution.
func (s *Service) DescribeExecution(_ context.Context, arn string) (ExecutionDescription, error) {
	e, err := s.execution(arn)
	if err != nil {
		if c := s.childOnMiss(err, arn); c != nil {
			return describeChild(c), nil
		}
		return ExecutionDescription{}, err
	}
	return describe(e.info(), s.cfg.Clock.Now()), nil
}

// describe applies AWS's presence rules: output only when SUCCEEDED,
// error and cause only when present; whether it is redrivable at now
// (redrive.go).
func describe(info execInfo, now time.Time) ExecutionDescription {
	out := summary(info)
	out.Input = info.input
	redriveStatus(&out, info, now)
	if info.status == interp.StatusSucceeded {
		o := string(info.output)
		out.Output = &o
	}
	out.Error, out.Cause = info.failure.ErrorPtr(), info.failure.CausePtr()
	return out
}

// summary is an execution as ListExecutions lists it.
func summary(info execInfo) ExecutionDescription {
	return ExecutionDescription{ExecutionArn: info.arn, StateMachineArn: info.smArn, Name: info.name,
		StateMachineVersionArn: info.versionArn, StateMachineAliasArn: info.aliasArn,
		Status: info.status, StartDate: info.start, StopDate: info.stop,
		RedriveCount: info.redrive.count, RedriveDate: info.redrive.date}
}

// ListExecutions lists executions newest first, optionally filtered by
// status. Page.Start counts the executions already looked at.
func (s *Service) ListExecutions(_ context.Context, in ListExecutionsInput) (ExecutionList, error) {
	if in.MapRunArn != "" {
		return s.listChildren(in)
	}
	ref, err := parseMachineRef(in.StateMachineArn)
	if err != nil {
		return ExecutionList{}, err
	}
	sm, err := s.stateMachine(ref.base)
	if err != nil {
		return ExecutionList{}, fail(ErrStateMachineDoesNotExist, ref.arn)
	}
	if sm.typ == typeExpress {
		return ExecutionList{}, fail(ErrStateMachineTypeNotSupported,
			"This operation is not supported by this type of state machine")
	}
	s.sweep()
	s.sweepMachine(sm, s.cfg.Clock.Now())
	v := sm.view()
	seen, _, err := in.Page.bounds(v.live)
	if err != nil {
		return ExecutionList{}, err
	}
	v.skip(seen)
	out := ExecutionList{Executions: []ExecutionDescription{}}
	limit := in.Page.size()
	for len(out.Executions) < limit {
		chunk := v.next(max(limit, 64))
		if len(chunk) == 0 {
			break
		}
		for _, e := range chunk {
			if len(out.Executions) == limit || seen == v.live {
				break
			}
			seen++
			info := e.info()
			if (in.StatusFilter == "" || info.status == in.StatusFilter) && startedThrough(info, ref) &&
				in.RedriveFilter.matches(info.redrive.count) {
				out.Executions = append(out.Executions, summary(info))
			}
		}
		if seen == v.live {
			break
		}
	}
	out.Next = next(seen, v.live)
	return out, nil
}

// startedThrough reports whether an execution was started through ref:
// any execution for a machine ARN, those started with the version or the
// alias for a version or an alias ARN.
func startedThrough(info execInfo, ref machineRef) bool {
	switch {
	case ref.version > 0:
		return info.versionArn == ref.arn
	case ref.alias != "":
		return info.aliasArn == ref.arn
	}
	return true
}

// GetExecutionHistory returns a page of an execution's events.
func (s *Service) GetExecutionHistory(_ context.Context, in GetExecutionHistoryInput) (ExecutionHistory, error) {
	var all []interp.HistoryEvent
	e, err := s.execution(in.ExecutionArn)
	switch c := s.childOnMiss(err, in.ExecutionArn); {
	case c != nil:
		all = childHistory(c)
	case err != nil:
		return ExecutionHistory{}, err
	default:
		e.mu.Lock()
		all = e.history[:len(e.history):len(e.history)]
		e.mu.Unlock()
	}
	from, to, err := in.Page.bounds(len(all))
	if err != nil {
		return ExecutionHistory{}, err
	}
	page := ExecutionHistory{Events: pick(all, from, to, in.Reverse), Next: next(to, len(all))}
	if in.WithoutData {
		for i, ev := range page.Events {
			ev = ev.WithoutData()
			if d, ok := ev.Details.(*startedDetails); ok {
				ev.Details = d.withoutData()
			}
			page.Events[i] = ev
		}
	}
	return page, nil
}

// pick copies events [from, to) counted from the start, or from the end
// when reverse.
func pick(all []interp.HistoryEvent, from, to int, reverse bool) []interp.HistoryEvent {
	if !reverse {
		return slices.Clone(all[from:to])
	}
	out := make([]interp.HistoryEvent, 0, to-from)
	for i := len(all) - 1 - from; i > len(all)-1-to; i-- {
		out = append(out, all[i])
	}
	return out
}
