package template

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const scheduledMachine = `
Resources:
  Nightly:
    Type: AWS::Serverless::StateMachine
    Properties:
      Name: Nightly
      Definition: {StartAt: P, States: {P: {Type: Pass, End: true}}}
      Events:
        Every5:
          Type: Schedule
          Properties:
            Schedule: rate(5 minutes)
            Input: '{"kind":"sweep"}'
        AtNight:
          Type: ScheduleV2
          Properties:
            ScheduleExpression: cron(30 2 * * ? *)
            ScheduleExpressionTimezone: Europe/Berlin
            StartDate: "2026-03-01T00:00:00Z"
            State: DISABLED
            FlexibleTimeWindow: {Mode: FLEXIBLE, MaximumWindowInMinutes: 15}
            Input: {night: true}
`

// TestStateMachineSchedules reads Schedule and ScheduleV2 events as SAM
// translates them (docs/eventbridge.md §8).
func TestStateMachineSchedules(t *testing.T) {
	tpl, err := Parse([]byte(scheduledMachine), ".", opts)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	smArn := "arn:aws:states:us-east-1:123456789012:stateMachine:Nightly"
	want := []Schedule{
		{LogicalID: "NightlyAtNight", Name: "NightlyAtNight", V2: true, Expression: "cron(30 2 * * ? *)", Timezone: "Europe/Berlin",
			StartDate: &start, StateMachineArn: smArn, Input: `{"night":true}`, FlexibleWindowMinutes: 15},
		{LogicalID: "NightlyEvery5", Name: "NightlyEvery5", Expression: "rate(5 minutes)", Enabled: true,
			StateMachineArn: smArn, Input: `{"kind":"sweep"}`},
	}
	if d := cmp.Diff(want, tpl.Schedules); d != "" {
		t.Errorf("schedules (-want +got):\n%s", d)
	}
}

func TestStateMachineEventsRefused(t *testing.T) {
	tests := []struct{ event, want string }{
		{"{Type: Api, Properties: {Path: /, Method: get}}", `type "Api": stepwire starts state machines only on Schedule and ScheduleV2 events`},
		{"{Type: Schedule, Properties: {Schedule: rate(1 hour), RetryPolicy: {}}}", "RetryPolicy: stepwire cannot honour it yet"},
		{"{Type: ScheduleV2, Properties: {ScheduleExpression: rate(1 hour), GroupName: g}}", "GroupName g: stepwire has only the default schedule group"},
		{"{Type: ScheduleV2, Properties: {ScheduleExpression: rate(1 hour), StartDate: tomorrow}}", `StartDate "tomorrow"`},
		{"{Type: Schedule, Properties: {Schedule: rate(1 hour), State: ENABLED, Enabled: true}}", "State and Enabled cannot both be set"},
		{"{Type: Schedule, Properties: {Input: '{}'}}", "a schedule expression is required"},
	}
	for _, tt := range tests {
		doc := "Resources:\n  M:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Definition: {StartAt: P, States: {P: {Type: Pass, End: true}}}\n      Events:\n        E: " + tt.event + "\n"
		_, err := Parse([]byte(doc), ".", opts)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.event, err, tt.want)
		}
	}
}
