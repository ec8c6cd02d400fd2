package eventsapi

import (
	"context"
	"fmt"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/events"
)

func (r *putTargetsRequest) validate() *awsapi.Error {
	var v violations
	v.name("rule", r.Rule, true)
	v.optLength("eventBusName", r.EventBusName, 1, 1600)
	if r.Targets == nil {
		v.required("targets")
	} else {
		v.count("targets", "Target", len(r.Targets), 1, 100)
	}
	for i, t := range r.Targets {
		m := fmt.Sprintf("targets.%d.member.", i+1)
		v.name(m+"id", t.ID, true)
		if t.Arn == nil {
			v.required(m + "arn")
		} else {
			v.length(m+"arn", *t.Arn, 1, 1600)
		}
		v.optLength(m+"input", t.Input, 0, 8192)
		v.optLength(m+"inputPath", t.InputPath, 0, 256)
	}
	return v.err()
}

func putTargets(s *events.Service, ctx context.Context, r *putTargetsRequest) (any, error) {
	targets := make([]events.Target, len(r.Targets))
	for i, t := range r.Targets {
		targets[i] = fromTargetShape(t)
	}
	failed, err := s.PutTargets(ctx, *r.Rule, deref(r.EventBusName), targets)
	return failedEntries(failed, err)
}

func (r *removeTargetsRequest) validate() *awsapi.Error {
	var v violations
	v.name("rule", r.Rule, true)
	v.optLength("eventBusName", r.EventBusName, 1, 1600)
	if r.Ids == nil {
		v.required("ids")
	} else {
		v.count("ids", "...", len(r.Ids), 1, 100)
	}
	for i := range r.Ids {
		v.name(fmt.Sprintf("ids.%d.member", i+1), &r.Ids[i], true)
	}
	return v.err()
}

// removeTargets ignores Force, which concerns managed rules only.
func removeTargets(s *events.Service, ctx context.Context, r *removeTargetsRequest) (any, error) {
	failed, err := s.RemoveTargets(ctx, *r.Rule, deref(r.EventBusName), r.Ids)
	return failedEntries(failed, err)
}

func failedEntries(failed []events.FailedEntry, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	out := failedEntriesResponse{FailedEntryCount: len(failed), FailedEntries: make([]failedEntryShape, len(failed))}
	for i, f := range failed {
		out.FailedEntries[i] = failedEntryShape{TargetID: f.TargetID, ErrorCode: f.ErrorCode, ErrorMessage: f.ErrorMessage}
	}
	return out, nil
}

func (r *listTargetsRequest) validate() *awsapi.Error {
	var v violations
	v.name("rule", r.Rule, true)
	v.optLength("eventBusName", r.EventBusName, 1, 1600)
	v.optLength("nextToken", r.NextToken, 1, 2048)
	v.limit("limit", r.Limit)
	return v.err()
}

func listTargetsByRule(s *events.Service, ctx context.Context, r *listTargetsRequest) (any, error) {
	targets, err := s.ListTargetsByRule(ctx, *r.Rule, deref(r.EventBusName))
	if err != nil {
		return nil, err
	}
	items, next, err := page(targets, r.NextToken, r.Limit)
	if err != nil {
		return nil, err
	}
	out := listTargetsResponse{Targets: make([]targetShape, len(items)), NextToken: next}
	for i, t := range items {
		out.Targets[i] = toTargetShape(t)
	}
	return out, nil
}

func fromTargetShape(t targetShape) events.Target {
	out := events.Target{ID: *t.ID, Arn: *t.Arn, RoleArn: deref(t.RoleArn), Input: deref(t.Input), InputPath: deref(t.InputPath)}
	if it := t.InputTransformer; it != nil {
		out.InputTransformer = &events.InputTransformer{InputPathsMap: it.InputPathsMap, InputTemplate: deref(it.InputTemplate)}
	}
	if rp := t.RetryPolicy; rp != nil {
		out.RetryPolicy = &events.RetryPolicy{MaximumRetryAttempts: rp.MaximumRetryAttempts, MaximumEventAgeInSeconds: rp.MaximumEventAgeInSeconds}
	}
	if dl := t.DeadLetterConfig; dl != nil {
		out.DeadLetterConfig = &events.DeadLetterConfig{Arn: deref(dl.Arn)}
	}
	return out
}

func toTargetShape(t events.Target) targetShape {
	out := targetShape{ID: &t.ID, Arn: &t.Arn, RoleArn: opt(t.RoleArn), Input: opt(t.Input), InputPath: opt(t.InputPath)}
	if it := t.InputTransformer; it != nil {
		out.InputTransformer = &inputTransformerShape{InputPathsMap: it.InputPathsMap, InputTemplate: &it.InputTemplate}
	}
	if rp := t.RetryPolicy; rp != nil {
		out.RetryPolicy = &retryPolicyShape{MaximumRetryAttempts: rp.MaximumRetryAttempts, MaximumEventAgeInSeconds: rp.MaximumEventAgeInSeconds}
	}
	if dl := t.DeadLetterConfig; dl != nil {
		out.DeadLetterConfig = &deadLetterShape{Arn: opt(dl.Arn)}
	}
	return out
}

// opt is s as an optional member: nil when empty.
func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
