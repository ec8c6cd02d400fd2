package sfnemu

// Operations on state machines.

func createStateMachineOp(s *Service, r *createStateMachineInput) (any, error) {
	sm, v, err := s.createStateMachine(r)
	if err != nil {
		return nil, err
	}
	out := createStateMachineOutput{StateMachineArn: sm.arn, CreationDate: epoch(sm.created)}
	if v != nil {
		out.StateMachineVersionArn = v.arn
	}
	return out, nil
}

func describeStateMachineOp(s *Service, r *stateMachineArnInput) (any, error) {
	if err := requiredArn("stateMachineArn", r.StateMachineArn); err != nil {
		return nil, err
	}
	ref, err := parseMachineRef(*r.StateMachineArn)
	if err != nil {
		return nil, err
	}
	if ref.version > 0 {
		return s.describeVersion(ref)
	}
	sm, err := s.stateMachine(*r.StateMachineArn)
	if err != nil {
		return nil, err
	}
	rev, status := sm.current()
	return describeStateMachineOutput{StateMachineArn: sm.arn, Name: sm.name, Status: status,
		Definition: rev.definition, RoleArn: rev.roleArn, Type: sm.typ, CreationDate: epoch(sm.created),
		LoggingConfiguration: rev.logging, TracingConfiguration: rev.tracing, RevisionID: rev.id}, nil
}

func updateStateMachineOp(s *Service, r *updateStateMachineInput) (any, error) {
	res, err := s.updateStateMachine(r)
	if err != nil {
		return nil, err
	}
	out := updateStateMachineOutput{UpdateDate: epoch(res.date), RevisionID: res.rev.id}
	if res.version != nil {
		out.StateMachineVersionArn = res.version.arn
	}
	return out, nil
}

func deleteStateMachineOp(s *Service, r *stateMachineArnInput) (any, error) {
	if err := requiredArn("stateMachineArn", r.StateMachineArn); err != nil {
		return nil, err
	}
	return struct{}{}, s.deleteStateMachine(*r.StateMachineArn)
}

func listStateMachinesOp(s *Service, r *listInput) (any, error) {
	return s.listStateMachines(r.MaxResults, r.NextToken)
}

// describeStateMachineForExecutionOp answers with the revision the
// execution runs, even after the machine was updated or deleted.
func describeStateMachineForExecutionOp(s *Service, r *executionArnInput) (any, error) {
	if err := requiredArn("executionArn", r.ExecutionArn); err != nil {
		return nil, err
	}
	e, err := s.execution(*r.ExecutionArn)
	if err != nil {
		return nil, err
	}
	return describeStateMachineForExecutionOutput{StateMachineArn: e.sm.arn, Name: e.sm.name,
		Definition: e.rev.definition, RoleArn: e.rev.roleArn, UpdateDate: epoch(e.rev.date),
		LoggingConfiguration: e.rev.logging, TracingConfiguration: e.rev.tracing, RevisionID: e.rev.id}, nil
}
