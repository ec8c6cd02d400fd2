package sfnemu

import "github.com/stepwire/stepwire/emulator/interp"

// selection is what a start request runs: the machine's current revision,
// or a version's, reached directly or through an alias.
type selection struct {
	rev        *revision // nil: the machine's current revision
	versionArn string
	aliasArn   string
}

// revisionOr returns the selected version's revision, or current.
func (sel selection) revisionOr(current *revision) *revision {
	if sel.rev != nil {
		return sel.rev
	}
	return current
}

// selectTarget finds the machine a start request names and, for a version
// or an alias ARN, the version it runs. A missing version or alias is
// StateMachineDoesNotExist quoting the ARN (StartExecution has no
// ResourceNotFound).
func (s *Service) selectTarget(ref machineRef) (*stateMachine, selection, error) {
	switch {
	case ref.version > 0:
		sm, v, err := s.lookupVersion(ref)
		if err != nil {
			return nil, selection{}, err
		}
		return sm, selection{rev: &v.rev, versionArn: v.arn}, nil
	case ref.alias != "":
		return s.selectAlias(ref)
	}
	sm, err := s.stateMachine(ref.base)
	return sm, selection{}, err
}

// selectAlias picks one of the alias's versions by weight.
func (s *Service) selectAlias(ref machineRef) (*stateMachine, selection, error) {
	sm, err := s.stateMachine(ref.base)
	if err != nil {
		return nil, selection{}, fail(ErrStateMachineDoesNotExist, ref.arn)
	}
	sm.mu.RLock()
	defer sm.mu.RUnlock()
	a := sm.aliasLocked(ref.alias)
	if a == nil {
		return nil, selection{}, fail(ErrStateMachineDoesNotExist, ref.arn)
	}
	v := sm.versionLocked(s.pickRoute(a.routes).version)
	if v == nil { // cannot happen: a routed version cannot be deleted
		return nil, selection{}, fail(ErrStateMachineDoesNotExist, ref.arn)
	}
	return sm, selection{rev: &v.rev, versionArn: v.arn, aliasArn: a.arn}, nil
}

// startedDetails is executionStartedEventDetails plus the version and
// alias the execution was started through, which the interpreter does not
// know.
type startedDetails struct {
	*interp.ExecutionStartedDetails
	StateMachineAliasArn   string `json:"stateMachineAliasArn,omitempty"`
	StateMachineVersionArn string `json:"stateMachineVersionArn,omitempty"`
}

// withoutData is d as GetExecutionHistory lists it with
// includeExecutionData=false: the interpreter's rule for the embedded
// details, the ARNs kept.
func (d *startedDetails) withoutData() *startedDetails {
	c := *d
	ev := interp.HistoryEvent{Details: d.ExecutionStartedDetails}.WithoutData()
	c.ExecutionStartedDetails = ev.Details.(*interp.ExecutionStartedDetails)
	return &c
}

// markStarted adds the version and alias ARNs to the ExecutionStarted
// event of the machine's first step.
func (e *execution) markStarted(step interp.Step) interp.Step {
	if e.versionArn == "" {
		return step
	}
	for i, ev := range step.Events {
		if d, ok := ev.Details.(*interp.ExecutionStartedDetails); ok && ev.Type == interp.EventExecutionStarted {
			step.Events[i].Details = &startedDetails{ExecutionStartedDetails: d,
				StateMachineAliasArn: e.aliasArn, StateMachineVersionArn: e.versionArn}
		}
	}
	return step
}
