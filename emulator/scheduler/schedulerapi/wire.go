package schedulerapi

import (
	"encoding/json"
	"math"
	"time"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/scheduler"
	"github.com/stepwire/stepwire/internal/svcerr"
)

// scheduleInput is CreateSchedule's and UpdateSchedule's body. Dates are
// epoch seconds, as restJson sends timestamps.
type scheduleInput struct {
	ActionAfterCompletion      string
	ClientToken                string
	Description                string
	StartDate, EndDate         *float64
	FlexibleTimeWindow         *scheduler.FlexibleTimeWindow
	GroupName                  string
	KmsKeyArn                  string
	ScheduleExpression         *string
	ScheduleExpressionTimezone string
	State                      string
	Target                     *targetWire
}

// targetWire is a schedule's Target. RetryPolicy is kept and echoed;
// stepwire's runs are not retried. The parameters of targets stepwire does
// not run are refused.
type targetWire struct {
	Arn, RoleArn, Input         string
	RetryPolicy                 json.RawMessage `json:",omitempty"`
	DeadLetterConfig            json.RawMessage `json:",omitempty"`
	EcsParameters               json.RawMessage `json:",omitempty"`
	KinesisParameters           json.RawMessage `json:",omitempty"`
	SqsParameters               json.RawMessage `json:",omitempty"`
	SageMakerPipelineParameters json.RawMessage `json:",omitempty"`
	EventBridgeParameters       json.RawMessage `json:",omitempty"`
}

// missing is AWS's model-validation message for a required member.
func missing(member string) error {
	return svcerr.Newf(scheduler.ErrValidation,
		"1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member)
}

func (in scheduleInput) schedule(name string) (scheduler.Schedule, error) {
	switch {
	case in.ScheduleExpression == nil:
		return scheduler.Schedule{}, missing("scheduleExpression")
	case in.FlexibleTimeWindow == nil:
		return scheduler.Schedule{}, missing("flexibleTimeWindow")
	case in.Target == nil:
		return scheduler.Schedule{}, missing("target")
	}
	t := in.Target
	for _, p := range []struct {
		name string
		v    json.RawMessage
	}{{"DeadLetterConfig", t.DeadLetterConfig}, {"EcsParameters", t.EcsParameters}, {"KinesisParameters", t.KinesisParameters},
		{"SqsParameters", t.SqsParameters}, {"SageMakerPipelineParameters", t.SageMakerPipelineParameters},
		{"EventBridgeParameters", t.EventBridgeParameters}} {
		if len(p.v) > 0 && string(p.v) != "null" {
			return scheduler.Schedule{}, svcerr.Newf(scheduler.ErrValidation, "Target.%s: stepwire does not honour it.", p.name)
		}
	}
	return scheduler.Schedule{
		Name: name, GroupName: in.GroupName, ScheduleExpression: *in.ScheduleExpression,
		ScheduleExpressionTimezone: in.ScheduleExpressionTimezone, StartDate: epoch(in.StartDate), EndDate: epoch(in.EndDate),
		State: in.State, Description: in.Description, FlexibleTimeWindow: *in.FlexibleTimeWindow,
		Target:                scheduler.Target{Arn: t.Arn, RoleArn: t.RoleArn, Input: t.Input, RetryPolicy: t.RetryPolicy},
		ActionAfterCompletion: in.ActionAfterCompletion,
	}, nil
}

func epoch(v *float64) *time.Time {
	if v == nil {
		return nil
	}
	sec, frac := math.Modf(*v)
	t := time.Unix(int64(sec), int64(frac*1e9)).UTC()
	return &t
}

// scheduleOutput is GetSchedule's answer.
type scheduleOutput struct {
	ActionAfterCompletion      string
	Arn                        string
	CreationDate               awsapi.Epoch
	Description                string        `json:",omitempty"`
	StartDate                  *awsapi.Epoch `json:",omitempty"`
	EndDate                    *awsapi.Epoch `json:",omitempty"`
	FlexibleTimeWindow         scheduler.FlexibleTimeWindow
	GroupName                  string
	LastModificationDate       awsapi.Epoch
	Name                       string
	ScheduleExpression         string
	ScheduleExpressionTimezone string `json:",omitempty"`
	State                      string
	Target                     targetWire
}

func toOutput(s scheduler.Schedule) scheduleOutput {
	return scheduleOutput{ActionAfterCompletion: s.ActionAfterCompletion, Arn: s.Arn, CreationDate: awsapi.Epoch(s.CreationDate),
		Description: s.Description, StartDate: epochOut(s.StartDate), EndDate: epochOut(s.EndDate),
		FlexibleTimeWindow: s.FlexibleTimeWindow, GroupName: s.GroupName, LastModificationDate: awsapi.Epoch(s.LastModificationDate),
		Name: s.Name, ScheduleExpression: s.ScheduleExpression, ScheduleExpressionTimezone: s.ScheduleExpressionTimezone,
		State: s.State, Target: targetWire{Arn: s.Target.Arn, RoleArn: s.Target.RoleArn, Input: s.Target.Input, RetryPolicy: s.Target.RetryPolicy}}
}

func epochOut(t *time.Time) *awsapi.Epoch {
	if t == nil {
		return nil
	}
	e := awsapi.Epoch(*t)
	return &e
}
