package template

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A function's EventBridgeRule and CloudWatchEvent entries become rules on
// the default bus with the function as target, named as SAM derives them
// (docs/eventbridge.md §5).
func TestFunctionEventRules(t *testing.T) {
	const fnArn = "arn:aws:lambda:us-east-1:123456789012:function:Cancel"
	tests := []struct {
		name, events string
		want         []EventRule
		wantErr      string
	}{
		{name: "EventBridgeRule with a machine ARN in the pattern", events: `
        Aborted:
          Type: EventBridgeRule
          Properties:
            Pattern:
              source: [aws.states]
              detail:
                status: [ABORTED]
                stateMachineArn: [!Ref M]`,
			want: []EventRule{{LogicalID: "CancelAborted", Name: "CancelAborted",
				EventPattern: `{"detail":{"stateMachineArn":["arn:aws:states:us-east-1:123456789012:stateMachine:M"],"status":["ABORTED"]},"source":["aws.states"]}`,
				Target:       EventTarget{ID: "CancelAbortedLambdaTarget", Arn: fnArn}}}},
		{name: "CloudWatchEvent with names, state and input path", events: `
        Ended:
          Type: CloudWatchEvent
          Properties:
            RuleName: ended
            EventBusName: default
            Enabled: false
            InputPath: $.detail
            Target: {Id: mine}
            Pattern: {source: [aws.states]}`,
			want: []EventRule{{LogicalID: "CancelEnded", Name: "ended", EventBusName: "default", State: "DISABLED",
				EventPattern: `{"source":["aws.states"]}`, Target: EventTarget{ID: "mine", Arn: fnArn, InputPath: "$.detail"}}}},
		{name: "long names are cut to 64", events: `
        ThisEventNameIsLongEnoughToPushTheDerivedTargetIdPastSixtyFour:
          Type: EventBridgeRule
          Properties: {Pattern: {source: [a]}}`,
			want: []EventRule{{LogicalID: "CancelThisEventNameIsLongEnoughToPushTheDerivedTargetIdPastSixtyFour",
				Name: "CancelThisEventNameIsLongEnoughToPushTheDerivedTargetIdPastSixty", EventPattern: `{"source":["a"]}`,
				Target: EventTarget{ID: "CancelThisEventNameIsLongEnoughToPushTheDerivedTargetIdPastSixty", Arn: fnArn}}}},
		{name: "other event types are refused", events: `
        Sched:
          Type: Schedule
          Properties: {Schedule: rate(1 minute)}`, wantErr: `type "Schedule": stepwire runs only EventBridgeRule and CloudWatchEvent`},
		{name: "unhonoured properties are refused", events: `
        E:
          Type: EventBridgeRule
          Properties: {Pattern: {source: [a]}, DeadLetterConfig: {Type: SQS}}`, wantErr: "DeadLetterConfig: stepwire cannot honour it yet"},
		{name: "a pattern is required", events: `
        E:
          Type: EventBridgeRule
          Properties: {}`, wantErr: "Pattern is required"},
		{name: "State and Enabled are exclusive", events: `
        E:
          Type: EventBridgeRule
          Properties: {Pattern: {source: [a]}, State: ENABLED, Enabled: true}`, wantErr: "State and Enabled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tpl, err := Parse([]byte(`
Resources:
  M:
    Type: AWS::Serverless::StateMachine
    Properties: {Definition: {StartAt: P, States: {P: {Type: Pass, End: true}}}}
  Cancel:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: bin/lambda/cancel/
      Runtime: provided.al2023
      Events:`+tt.events), ".", opts)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, tpl.EventRules); d != "" {
				t.Errorf("rules (-want +got):\n%s", d)
			}
		})
	}
}
