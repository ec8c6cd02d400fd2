package emulator

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/stepwire/stepwire/emulator/scheduler"
	"github.com/stepwire/stepwire/emulator/scheduler/schedulerapi"
	"github.com/stepwire/stepwire/emulator/sfnemu"
	"github.com/stepwire/stepwire/emulator/template"
	"github.com/stepwire/stepwire/internal/arn"
)

// newScheduler starts the schedules' service on the emulator's clock and
// serves EventBridge Scheduler's API on /schedules.
func (e *Emulator) newScheduler() {
	e.Scheduler = scheduler.New(scheduler.Config{Region: e.cfg.Region, Account: e.cfg.Account, Clock: e.cfg.Clock,
		Start: e.startScheduled, Logger: e.cfg.Logger.With("service", "scheduler"), Store: e.store})
	e.router.HandlePrefix(schedulerapi.PathPrefix, schedulerapi.Handler(e.Scheduler))
}

// startScheduled runs a schedule's target: a state machine's
// StartExecution, the universal target sfn:startExecution (the input is
// the request), or a Lambda function's Event invocation
// (docs/eventbridge.md §7.3).
func (e *Emulator) startScheduled(ctx context.Context, target, input string) error {
	if target == scheduler.UniversalStartExecution {
		var req struct{ StateMachineArn, Input, Name string }
		if err := json.Unmarshal([]byte(input), &req); err != nil {
			return fmt.Errorf("sfn:startExecution: the input is not a StartExecution request: %w", err)
		}
		target, input = req.StateMachineArn, req.Input
		if req.Name != "" {
			return e.startMachine(ctx, target, &req.Name, input)
		}
	}
	if a, err := arn.Parse(target); err == nil && a.Service == "lambda" {
		return e.Lambda.InvokeAsync(ctx, target, []byte(input))
	}
	return e.startMachine(ctx, target, nil, input)
}

func (e *Emulator) startMachine(ctx context.Context, machine string, name *string, input string) error {
	if input == "" {
		input = "{}"
	}
	_, err := e.SFN.StartExecution(ctx, sfnemu.StartExecutionInput{StateMachineArn: machine, Name: name, Input: &input})
	return err
}

// loadSchedules arms the template's scheduled starts: Schedule events as
// rules, ScheduleV2 events as Scheduler schedules (docs/eventbridge.md §8).
func (e *Emulator) loadSchedules(t *template.Template) error {
	for _, s := range t.Schedules {
		if err := e.loadSchedule(s); err != nil {
			return fmt.Errorf("schedule %s: %w", s.LogicalID, err)
		}
	}
	return nil
}

func (e *Emulator) loadSchedule(s template.Schedule) error {
	if !s.V2 {
		return e.Scheduler.AddRule(scheduler.Rule{Name: s.Name, ScheduleExpression: s.Expression, Enabled: s.Enabled,
			TargetArn: s.StateMachineArn, Input: s.Input})
	}
	state, window := "ENABLED", scheduler.FlexibleTimeWindow{Mode: "OFF"}
	if !s.Enabled {
		state = "DISABLED"
	}
	if s.FlexibleWindowMinutes > 0 {
		window = scheduler.FlexibleTimeWindow{Mode: "FLEXIBLE", MaximumWindowInMinutes: s.FlexibleWindowMinutes}
	}
	role := s.RoleArn
	if role == "" { // SAM creates one trusted by the Scheduler's principal
		role = arn.IAMRole(e.cfg.Account, s.LogicalID+"Role")
	}
	return e.createSchedule(scheduler.Schedule{Name: s.Name, ScheduleExpression: s.Expression,
		ScheduleExpressionTimezone: s.Timezone, StartDate: s.StartDate, EndDate: s.EndDate, State: state,
		FlexibleTimeWindow: window, Target: scheduler.Target{Arn: s.StateMachineArn, RoleArn: role, Input: s.Input}})
}
