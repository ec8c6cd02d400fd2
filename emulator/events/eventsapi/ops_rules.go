package eventsapi

import (
	"context"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/events"
)

func (r *putRuleRequest) validate() *awsapi.Error {
	var v violations
	v.name("name", r.Name, true)
	v.optLength("scheduleExpression", r.ScheduleExpression, 0, 256)
	v.optLength("eventPattern", r.EventPattern, 0, 4096)
	v.enum("state", r.State, events.StateEnabled, events.StateDisabled, events.StateEnabledWithCloudTrail)
	v.optLength("description", r.Description, 0, 512)
	v.optLength("roleArn", r.RoleArn, 1, 1600)
	v.optLength("eventBusName", r.EventBusName, 1, 1600)
	return v.err()
}

// putRule ignores Tags: stepwire keeps no tags on rules.
func putRule(s *events.Service, ctx context.Context, r *putRuleRequest) (any, error) {
	ruleArn, err := s.PutRule(ctx, events.PutRuleInput{
		Name: *r.Name, EventPattern: r.EventPattern, ScheduleExpression: r.ScheduleExpression,
		State: r.State, Description: r.Description, RoleArn: r.RoleArn, EventBusName: r.EventBusName,
	})
	if err != nil {
		return nil, err
	}
	return putRuleResponse{RuleArn: ruleArn}, nil
}

func (r *ruleRequest) validate() *awsapi.Error {
	var v violations
	v.name("name", r.Name, true)
	v.optLength("eventBusName", r.EventBusName, 1, 1600)
	return v.err()
}

func describeRule(s *events.Service, ctx context.Context, r *ruleRequest) (any, error) {
	rule, err := s.DescribeRule(ctx, *r.Name, deref(r.EventBusName))
	if err != nil {
		return nil, err
	}
	shape := toRuleShape(rule)
	shape.CreatedBy = rule.CreatedBy
	return shape, nil
}

func enableRule(s *events.Service, ctx context.Context, r *ruleRequest) (any, error) {
	return none(s.EnableRule(ctx, *r.Name, deref(r.EventBusName)))
}

func disableRule(s *events.Service, ctx context.Context, r *ruleRequest) (any, error) {
	return none(s.DisableRule(ctx, *r.Name, deref(r.EventBusName)))
}

// deleteRule ignores Force, which concerns managed rules only.
func deleteRule(s *events.Service, ctx context.Context, r *ruleRequest) (any, error) {
	return none(s.DeleteRule(ctx, *r.Name, deref(r.EventBusName)))
}

func (r *listRulesRequest) validate() *awsapi.Error {
	var v violations
	if r.NamePrefix != nil {
		v.name("namePrefix", r.NamePrefix, false)
	}
	v.optLength("eventBusName", r.EventBusName, 1, 1600)
	v.optLength("nextToken", r.NextToken, 1, 2048)
	v.limit("limit", r.Limit)
	return v.err()
}

func listRules(s *events.Service, ctx context.Context, r *listRulesRequest) (any, error) {
	rules, err := s.ListRules(ctx, deref(r.NamePrefix), deref(r.EventBusName))
	if err != nil {
		return nil, err
	}
	items, next, err := page(rules, r.NextToken, r.Limit)
	if err != nil {
		return nil, err
	}
	out := listRulesResponse{Rules: make([]ruleShape, len(items)), NextToken: next}
	for i, rule := range items {
		out.Rules[i] = toRuleShape(rule)
	}
	return out, nil
}

func toRuleShape(r events.Rule) ruleShape {
	return ruleShape{Name: r.Name, Arn: r.Arn, EventPattern: r.EventPattern, State: r.State,
		Description: r.Description, ScheduleExpression: r.ScheduleExpression, RoleArn: r.RoleArn,
		ManagedBy: r.ManagedBy, EventBusName: r.EventBusName}
}
