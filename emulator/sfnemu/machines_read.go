package sfnemu

import (
	"context"
	"errors"

	"github.com/stepwire/stepwire/emulator/asl"
)

// DescribeStateMachine describes a state machine, or with a version ARN
// the version: its configuration, ARN, creation date and description.
func (s *Service) DescribeStateMachine(_ context.Context, arn string) (StateMachineDescription, error) {
	ref, err := parseMachineRef(arn)
	if err != nil {
		return StateMachineDescription{}, err
	}
	if ref.version > 0 {
		return s.describeVersion(ref)
	}
	sm, err := s.stateMachine(arn)
	if err != nil {
		return StateMachineDescription{}, err
	}
	rev, status := sm.current()
	return StateMachineDescription{StateMachineArn: sm.arn, Name: sm.name, Status: status,
		Definition: rev.definition, RoleArn: rev.roleArn, Type: sm.typ, CreationDate: sm.created,
		LoggingConfiguration: rev.logging, TracingConfiguration: rev.tracing, RevisionID: rev.id}, nil
}

// describeVersion is DescribeStateMachine with a version ARN.
func (s *Service) describeVersion(ref machineRef) (StateMachineDescription, error) {
	sm, v, err := s.lookupVersion(ref)
	if err != nil {
		return StateMachineDescription{}, err
	}
	_, status := sm.current()
	return StateMachineDescription{StateMachineArn: v.arn, Name: sm.name, Status: status,
		Definition: v.rev.definition, RoleArn: v.rev.roleArn, Type: sm.typ, CreationDate: v.created,
		LoggingConfiguration: v.rev.logging, TracingConfiguration: v.rev.tracing, RevisionID: v.rev.id,
		Description: v.description}, nil
}

// DescribeStateMachineForExecution answers with the revision the
// execution runs, even after the machine was updated or deleted.
func (s *Service) DescribeStateMachineForExecution(_ context.Context, executionArn string) (ExecutionStateMachine, error) {
	e, err := s.execution(executionArn)
	if err != nil {
		return ExecutionStateMachine{}, err
	}
	return ExecutionStateMachine{StateMachineArn: e.sm.arn, Name: e.sm.name,
		Definition: e.rev.definition, RoleArn: e.rev.roleArn, UpdateDate: e.rev.date,
		LoggingConfiguration: e.rev.logging, TracingConfiguration: e.rev.tracing, RevisionID: e.rev.id}, nil
}

// ListStateMachines lists the state machines in creation order.
func (s *Service) ListStateMachines(_ context.Context, p Page) (StateMachineList, error) {
	all := s.stateMachines()
	from, to, err := p.bounds(len(all))
	if err != nil {
		return StateMachineList{}, err
	}
	out := StateMachineList{StateMachines: make([]StateMachineListItem, 0, to-from), Next: next(to, len(all))}
	for _, sm := range all[from:to] {
		out.StateMachines = append(out.StateMachines, StateMachineListItem{
			StateMachineArn: sm.arn, Name: sm.name, Type: sm.typ, CreationDate: sm.created})
	}
	return out, nil
}

// ValidateStateMachineDefinition checks a definition: an invalid one is
// result FAIL with one diagnostic per problem, not an error.
func (s *Service) ValidateStateMachineDefinition(_ context.Context, in ValidateDefinitionInput) (ValidateDefinitionOutput, error) {
	typ := in.Type
	if typ == "" {
		typ = typeStandard
	}
	out := ValidateDefinitionOutput{Result: "OK", Diagnostics: []Diagnostic{}}
	_, err := asl.Parse([]byte(in.Definition), asl.Options{Type: typ})
	if err == nil {
		return out, nil
	}
	var de *asl.DefinitionError
	if !errors.As(err, &de) {
		de = &asl.DefinitionError{Problems: []asl.Problem{{Code: asl.CodeSchema, Message: err.Error()}}}
	}
	limit := in.MaxResults
	if limit <= 0 {
		limit = DefaultPageSize
	}
	out.Result = "FAIL"
	for _, p := range de.Problems {
		if len(out.Diagnostics) == limit {
			out.Truncated = true
			break
		}
		out.Diagnostics = append(out.Diagnostics, Diagnostic{Severity: p.Severity(), Code: p.Code, Message: p.Message, Location: p.Location})
	}
	return out, nil
}
