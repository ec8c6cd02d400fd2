package emulator

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/stepwire/stepwire/emulator/events"
	"github.com/stepwire/stepwire/emulator/iotemu"
	"github.com/stepwire/stepwire/emulator/sfnemu"
	"github.com/stepwire/stepwire/emulator/template"
	"github.com/stepwire/stepwire/internal/arn"
)

// LoadTemplate creates the resources of a SAM template: functions bound to
// their in-process handlers, IoT policies and things, state machines,
// topic rules and the EventBridge rules of functions' Events. Resource
// types stepwire does not know are listed in one log line; anything it
// cannot honour is an error.
func (e *Emulator) LoadTemplate(ctx context.Context, path string, params map[string]string) error {
	t, err := template.Load(path, template.Options{Region: e.cfg.Region, Account: e.cfg.Account,
		StackName: e.cfg.StackName, Parameters: params})
	if err != nil {
		return err
	}
	if len(t.Unknown) > 0 {
		e.cfg.Logger.Info("template resources not created locally", "resources", strings.Join(t.Unknown, ", "))
	}
	for _, f := range t.Functions {
		if err := e.registerFunction(f, filepath.Dir(path)); err != nil {
			return fmt.Errorf("load template: %w", err)
		}
	}
	for _, p := range t.Policies {
		if err := e.IoT.CreatePolicy(p.Name, p.Document); err != nil && !e.keptFromState(err) {
			return fmt.Errorf("load template: policy %s: %w", p.LogicalID, err)
		}
	}
	for _, th := range t.Things {
		if err := e.IoT.CreateThing(th.Name, th.Attributes); err != nil && !e.keptFromState(err) {
			return fmt.Errorf("load template: thing %s: %w", th.LogicalID, err)
		}
	}
	for _, a := range t.Activities {
		if _, err := e.SFN.CreateActivity(ctx, sfnemu.CreateActivityInput{Name: a.Name}); err != nil {
			return fmt.Errorf("load template: activity %s: %w", a.LogicalID, err)
		}
	}
	for _, sm := range t.StateMachines {
		if err := e.createStateMachine(ctx, sm); err != nil {
			return fmt.Errorf("load template: state machine %s: %w", sm.LogicalID, err)
		}
	}
	for _, r := range t.Rules {
		err := e.IoT.CreateTopicRule(r.Name, topicRule(r))
		if e.keptFromState(err) {
			err = e.IoT.ReplaceTopicRule(r.Name, topicRule(r))
		}
		if err != nil {
			return fmt.Errorf("load template: topic rule %s: %w", r.LogicalID, err)
		}
	}
	if err := e.loadRolesAnywhere(t); err != nil {
		return fmt.Errorf("load template: %w", err)
	}
	for _, r := range t.EventRules {
		if err := e.putEventRule(ctx, r); err != nil {
			return fmt.Errorf("load template: event rule %s: %w", r.LogicalID, err)
		}
	}
	if err := e.loadSchedules(t); err != nil {
		return fmt.Errorf("load template: %w", err)
	}
	if err := errors.Join(e.IoT.SaveRegistry(), e.saveSFN(), e.Events.Save()); err != nil {
		return fmt.Errorf("load template: %w", err)
	}
	e.putStack(t)
	e.cfg.Logger.Info("template loaded", "path", path, "stateMachines", len(t.StateMachines),
		"functions", len(t.Functions), "activities", len(t.Activities), "rules", len(t.Rules),
		"eventRules", len(t.EventRules), "schedules", len(t.Schedules), "policies", len(t.Policies), "things", len(t.Things))
	return nil
}

// createStateMachine creates a template's state machine; one the state
// file kept with another definition or role is updated to the template's.
func (e *Emulator) createStateMachine(ctx context.Context, sm template.StateMachine) error {
	_, err := e.SFN.CreateStateMachine(ctx, sfnemu.CreateStateMachineInput{Name: sm.Name,
		Definition: string(sm.Definition), RoleArn: sm.RoleArn, Type: sm.Type})
	if !e.keptFromState(err) {
		return err
	}
	def := string(sm.Definition)
	_, err = e.SFN.UpdateStateMachine(ctx, sfnemu.UpdateStateMachineInput{
		StateMachineArn: arn.StateMachine(e.cfg.Region, e.cfg.Account, sm.Name), Definition: &def, RoleArn: &sm.RoleArn})
	return err
}

// putEventRule creates a function's EventBridge rule and its target, as
// the AWS::Events::Rule SAM generates would (docs/eventbridge.md §5).
func (e *Emulator) putEventRule(ctx context.Context, r template.EventRule) error {
	in := events.PutRuleInput{Name: r.Name, EventPattern: &r.EventPattern, EventBusName: &r.EventBusName}
	if r.State != "" {
		in.State = &r.State
	}
	if _, err := e.Events.PutRule(ctx, in); err != nil {
		return err
	}
	failed, err := e.Events.PutTargets(ctx, r.Name, r.EventBusName, []events.Target{{ID: r.Target.ID, Arn: r.Target.Arn,
		Input: r.Target.Input, InputPath: r.Target.InputPath}})
	if err != nil {
		return err
	}
	if len(failed) > 0 {
		return fmt.Errorf("target %s: %s", failed[0].TargetID, failed[0].ErrorMessage)
	}
	return nil
}

func topicRule(r template.Rule) iotemu.TopicRule {
	tr := iotemu.TopicRule{SQL: r.SQL, AWSIotSQLVersion: r.SQLVersion, Disabled: r.Disabled}
	for _, a := range r.Actions {
		tr.Actions = append(tr.Actions, ruleAction(a))
	}
	if r.ErrorAction != nil {
		ea := ruleAction(*r.ErrorAction)
		tr.ErrorAction = &ea
	}
	return tr
}

func ruleAction(a template.RuleAction) iotemu.Action {
	switch {
	case a.StepFunctions != nil:
		sf := a.StepFunctions
		return iotemu.Action{StepFunctions: &iotemu.StepFunctionsAction{
			StateMachineName: sf.StateMachineName, ExecutionNamePrefix: sf.ExecutionNamePrefix, RoleArn: sf.RoleArn}}
	case a.Republish != nil:
		return iotemu.Action{Republish: &iotemu.RepublishAction{Topic: a.Republish.Topic, Qos: a.Republish.Qos, RoleArn: a.Republish.RoleArn}}
	}
	return iotemu.Action{LambdaFunctionArn: a.Lambda}
}
