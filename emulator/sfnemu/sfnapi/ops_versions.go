package sfnapi

import (
	"context"

	"github.com/stepwire/stepwire/emulator/sfnemu"
)

// Operations on state machine versions.

func publishStateMachineVersion(s *sfnemu.Service, ctx context.Context, r *publishVersionInput) (any, error) {
	if err := checkPublish(r); err != nil {
		return nil, err
	}
	out, err := s.PublishStateMachineVersion(ctx, sfnemu.PublishVersionInput{StateMachineArn: *r.StateMachineArn,
		RevisionID: r.RevisionID, Description: r.Description})
	if err != nil {
		return nil, err
	}
	return publishVersionOutput{StateMachineVersionArn: out.StateMachineVersionArn, CreationDate: epoch(out.CreationDate)}, nil
}

// checkPublish validates in AWS's order: the ARN's presence, its shape,
// then the other members.
func checkPublish(r *publishVersionInput) error {
	if err := requiredArn("stateMachineArn", r.StateMachineArn); err != nil {
		return err
	}
	if err := sfnemu.CheckArn(*r.StateMachineArn, "stateMachine"); err != nil {
		return err
	}
	var v violations
	if r.Description != nil {
		v.length("description", *r.Description, 0, maxDescription, true)
	}
	if r.RevisionID != nil {
		v.length("revisionId", *r.RevisionID, 0, 256, false)
	}
	return v.err()
}

func listStateMachineVersions(s *sfnemu.Service, ctx context.Context, r *listVersionsInput) (any, error) {
	if err := checkMachineList(r.StateMachineArn, r.MaxResults, r.NextToken); err != nil {
		return nil, err
	}
	list, err := s.ListStateMachineVersions(ctx, sfnemu.ListVersionsInput{StateMachineArn: *r.StateMachineArn,
		Page: page("ver", r.MaxResults, r.NextToken)})
	if err != nil {
		return nil, err
	}
	out := listVersionsOutput{StateMachineVersions: make([]versionListItem, len(list.Versions)), NextToken: nextToken("ver", list.Next)}
	for i, v := range list.Versions {
		out.StateMachineVersions[i] = versionListItem{StateMachineVersionArn: v.StateMachineVersionArn, CreationDate: epoch(v.CreationDate)}
	}
	return out, nil
}

// checkMachineList validates the members every List* operation on a
// machine has.
func checkMachineList(arn *string, maxResults int32, token string) error {
	if err := requiredArn("stateMachineArn", arn); err != nil {
		return err
	}
	var v violations
	checkList(&v, maxResults, token, maxPageToken)
	return v.err()
}

func deleteStateMachineVersion(s *sfnemu.Service, ctx context.Context, r *versionArnInput) (any, error) {
	if err := requiredArn("stateMachineVersionArn", r.StateMachineVersionArn); err != nil {
		return nil, err
	}
	return none(s.DeleteStateMachineVersion(ctx, *r.StateMachineVersionArn))
}
