package sfnapi

import (
	"context"

	"github.com/stepwire/stepwire/emulator/sfnemu"
)

// Operations on state machines.

func createStateMachine(s *sfnemu.Service, ctx context.Context, r *createStateMachineInput) (any, error) {
	if err := checkCreate(r); err != nil {
		return nil, err
	}
	out, err := s.CreateStateMachine(ctx, sfnemu.CreateStateMachineInput{Name: *r.Name, Definition: *r.Definition,
		RoleArn: *r.RoleArn, Type: r.Type, LoggingConfiguration: toLogging(r.LoggingConfiguration),
		TracingConfiguration: toTracing(r.TracingConfiguration), Tags: toTags(r.Tags), Publish: r.Publish,
		VersionDescription: r.VersionDescription, EncryptionConfiguration: toEncryption(r.EncryptionConfiguration)})
	if err != nil {
		return nil, err
	}
	return createStateMachineOutput{StateMachineArn: out.StateMachineArn, CreationDate: epoch(out.CreationDate),
		StateMachineVersionArn: out.StateMachineVersionArn}, nil
}

// checkCreate applies CreateStateMachine's model constraints: the required
// members first, then the others.
func checkCreate(r *createStateMachineInput) error {
	var v violations
	v.required("name", r.Name != nil)
	v.required("definition", r.Definition != nil)
	v.required("roleArn", r.RoleArn != nil)
	if err := v.err(); err != nil {
		return err
	}
	typ := r.Type
	if typ == "" {
		typ = "STANDARD"
	}
	v.length("name", *r.Name, 1, maxNameLen, false)
	v.length("definition", *r.Definition, 1, maxDefinitionLen, true)
	v.length("roleArn", *r.RoleArn, 1, maxRoleArnLen, false)
	v.enum("type", typ, "STANDARD", "EXPRESS")
	checkLogging(&v, r.LoggingConfiguration)
	checkTags(&v, r.Tags)
	checkVersionDescription(&v, r.VersionDescription)
	return v.err()
}

// checkVersionDescription validates an optional version description (a
// sensitive member: AWS omits its value).
func checkVersionDescription(v *violations, d *string) {
	if d != nil {
		v.length("versionDescription", *d, 0, maxDescription, true)
	}
}

func describeStateMachine(s *sfnemu.Service, ctx context.Context, r *stateMachineArnInput) (any, error) {
	if err := requiredArn("stateMachineArn", r.StateMachineArn); err != nil {
		return nil, err
	}
	d, err := s.DescribeStateMachine(ctx, *r.StateMachineArn)
	if err != nil {
		return nil, err
	}
	return describeStateMachineOutput{StateMachineArn: d.StateMachineArn, Name: d.Name, Status: d.Status,
		Definition: d.Definition, RoleArn: d.RoleArn, Type: d.Type, CreationDate: epoch(d.CreationDate),
		LoggingConfiguration: fromLogging(d.LoggingConfiguration),
		TracingConfiguration: tracingConfiguration{Enabled: d.TracingConfiguration.Enabled},
		RevisionID:           d.RevisionID, Description: d.Description}, nil
}

func updateStateMachine(s *sfnemu.Service, ctx context.Context, r *updateStateMachineInput) (any, error) {
	if err := checkUpdate(r); err != nil {
		return nil, err
	}
	out, err := s.UpdateStateMachine(ctx, sfnemu.UpdateStateMachineInput{StateMachineArn: *r.StateMachineArn,
		Definition: r.Definition, RoleArn: r.RoleArn, LoggingConfiguration: toLogging(r.LoggingConfiguration),
		TracingConfiguration: toTracing(r.TracingConfiguration), Publish: r.Publish,
		VersionDescription: r.VersionDescription})
	if err != nil {
		return nil, err
	}
	return updateStateMachineOutput{UpdateDate: epoch(out.UpdateDate), RevisionID: out.RevisionID,
		StateMachineVersionArn: out.StateMachineVersionArn}, nil
}

// checkUpdate applies UpdateStateMachine's model constraints.
func checkUpdate(r *updateStateMachineInput) error {
	var v violations
	v.required("stateMachineArn", r.StateMachineArn != nil)
	if r.StateMachineArn != nil {
		v.length("stateMachineArn", *r.StateMachineArn, 1, maxArnLen, false)
	}
	if r.Definition != nil {
		v.length("definition", *r.Definition, 1, maxDefinitionLen, true)
	}
	if r.RoleArn != nil {
		v.length("roleArn", *r.RoleArn, 1, maxRoleArnLen, false)
	}
	checkLogging(&v, r.LoggingConfiguration)
	checkVersionDescription(&v, r.VersionDescription)
	return v.err()
}

func deleteStateMachine(s *sfnemu.Service, ctx context.Context, r *stateMachineArnInput) (any, error) {
	if err := requiredArn("stateMachineArn", r.StateMachineArn); err != nil {
		return nil, err
	}
	return none(s.DeleteStateMachine(ctx, *r.StateMachineArn))
}

func listStateMachines(s *sfnemu.Service, ctx context.Context, r *listInput) (any, error) {
	var v violations
	checkList(&v, r.MaxResults, r.NextToken, maxPageToken)
	if err := v.err(); err != nil {
		return nil, err
	}
	list, err := s.ListStateMachines(ctx, page("sm", r.MaxResults, r.NextToken))
	if err != nil {
		return nil, err
	}
	out := listStateMachinesOutput{StateMachines: make([]stateMachineListItem, len(list.StateMachines)),
		NextToken: nextToken("sm", list.Next)}
	for i, sm := range list.StateMachines {
		out.StateMachines[i] = stateMachineListItem{StateMachineArn: sm.StateMachineArn, Name: sm.Name,
			Type: sm.Type, CreationDate: epoch(sm.CreationDate)}
	}
	return out, nil
}

// describeStateMachineForExecution answers with the revision the
// execution runs, even after the machine was updated or deleted.
func describeStateMachineForExecution(s *sfnemu.Service, ctx context.Context, r *executionArnInput) (any, error) {
	if err := requiredArn("executionArn", r.ExecutionArn); err != nil {
		return nil, err
	}
	d, err := s.DescribeStateMachineForExecution(ctx, *r.ExecutionArn)
	if err != nil {
		return nil, err
	}
	return describeStateMachineForExecutionOutput{StateMachineArn: d.StateMachineArn, Name: d.Name,
		Definition: d.Definition, RoleArn: d.RoleArn, UpdateDate: epoch(d.UpdateDate),
		LoggingConfiguration: fromLogging(d.LoggingConfiguration),
		TracingConfiguration: tracingConfiguration{Enabled: d.TracingConfiguration.Enabled},
		RevisionID:           d.RevisionID}, nil
}
