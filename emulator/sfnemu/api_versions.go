package sfnemu

// Operations on state machine versions and aliases.

func publishStateMachineVersionOp(s *Service, r *publishVersionInput) (any, error) {
	v, err := s.publishStateMachineVersion(r)
	if err != nil {
		return nil, err
	}
	return publishVersionOutput{StateMachineVersionArn: v.arn, CreationDate: epoch(v.created)}, nil
}

func listStateMachineVersionsOp(s *Service, r *listVersionsInput) (any, error) {
	return s.listStateMachineVersions(r)
}

func deleteStateMachineVersionOp(s *Service, r *versionArnInput) (any, error) {
	return struct{}{}, s.deleteStateMachineVersion(r.StateMachineVersionArn)
}

// describeVersion is DescribeStateMachine with a version ARN: the
// version's configuration, ARN, creation date and description.
func (s *Service) describeVersion(ref machineRef) (describeStateMachineOutput, error) {
	sm, v, err := s.lookupVersion(ref)
	if err != nil {
		return describeStateMachineOutput{}, err
	}
	_, status := sm.current()
	return describeStateMachineOutput{StateMachineArn: v.arn, Name: sm.name, Status: status,
		Definition: v.rev.definition, RoleArn: v.rev.roleArn, Type: sm.typ, CreationDate: epoch(v.created),
		LoggingConfiguration: v.rev.logging, TracingConfiguration: v.rev.tracing, RevisionID: v.rev.id,
		Description: v.description}, nil
}

func createStateMachineAliasOp(s *Service, r *createAliasInput) (any, error) {
	a, err := s.createStateMachineAlias(r)
	if err != nil {
		return nil, err
	}
	return createAliasOutput{StateMachineAliasArn: a.arn, CreationDate: epoch(a.created)}, nil
}

func describeStateMachineAliasOp(s *Service, r *aliasArnInput) (any, error) {
	a, err := s.describeStateMachineAlias(r.StateMachineAliasArn)
	if err != nil {
		return nil, err
	}
	routes := make([]routingOut, len(a.routes))
	for i, rt := range a.routes {
		routes[i] = routingOut{StateMachineVersionArn: rt.arn, Weight: rt.weight}
	}
	return describeAliasOutput{StateMachineAliasArn: a.arn, Name: a.name, Description: a.description,
		RoutingConfiguration: routes, CreationDate: epoch(a.created), UpdateDate: epoch(a.updated)}, nil
}

func updateStateMachineAliasOp(s *Service, r *updateAliasInput) (any, error) {
	date, err := s.updateStateMachineAlias(r)
	if err != nil {
		return nil, err
	}
	return updateAliasOutput{UpdateDate: epoch(date)}, nil
}

func deleteStateMachineAliasOp(s *Service, r *aliasArnInput) (any, error) {
	return struct{}{}, s.deleteStateMachineAlias(r.StateMachineAliasArn)
}

func listStateMachineAliasesOp(s *Service, r *listAliasesInput) (any, error) {
	return s.listStateMachineAliases(r)
}
