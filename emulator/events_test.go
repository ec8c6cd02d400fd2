package emulator_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/emulator/lambdaemu"
)

// An EventBridge rule's Lambda target is invoked through the Lambda
// service with the matching event (docs/eventbridge.md §4).
func TestEventBridgeRuleInvokesLambda(t *testing.T) {
	srv := emulatortest.New(t)
	got := make(chan map[string]any, 1)
	srv.Lambda.Register(lambdaemu.Function{Name: "cancel", Handler: lambda.NewHandler(func(_ context.Context, ev map[string]any) error {
		got <- ev
		return nil
	})})
	c := eventbridge.NewFromConfig(srv.AWSConfig())
	ctx := context.Background()
	if _, err := c.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("cancel-on-abort"),
		EventPattern: aws.String(`{"source":["aws.states"],"detail":{"status":["ABORTED"]}}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("cancel-on-abort"),
		Targets: []types.Target{{Id: aws.String("cancel"), Arn: aws.String(srv.Lambda.ARN("cancel"))}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: []types.PutEventsRequestEntry{{
		Source: aws.String("aws.states"), DetailType: aws.String("Step Functions Execution Status Change"),
		Detail: aws.String(`{"status":"ABORTED","executionArn":"arn:exec"}`)}}}); err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-got:
		detail, _ := json.Marshal(ev["detail"])
		if ev["source"] != "aws.states" || ev["account"] != "123456789012" || string(detail) != `{"executionArn":"arn:exec","status":"ABORTED"}` {
			t.Errorf("event = %v", ev)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the target was not invoked")
	}
}

// A Standard execution's status changes reach the default bus as Step
// Functions sends them (docs/eventbridge.md §1): a rule on ABORTED gets
// the stopped execution's event, with the execution ARN as its resource.
func TestExecutionStatusChangeReachesRule(t *testing.T) {
	srv := emulatortest.New(t)
	got := make(chan map[string]any, 4)
	srv.Lambda.Register(lambdaemu.Function{Name: "onabort", Handler: lambda.NewHandler(func(_ context.Context, ev map[string]any) error {
		got <- ev
		return nil
	})})
	ctx := context.Background()
	c := eventbridge.NewFromConfig(srv.AWSConfig())
	if _, err := c.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("aborted"),
		EventPattern: aws.String(`{"source":["aws.states"],"detail-type":["Step Functions Execution Status Change"],"detail":{"status":["ABORTED"]}}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("aborted"),
		Targets: []types.Target{{Id: aws.String("t"), Arn: aws.String(srv.Lambda.ARN("onabort"))}}}); err != nil {
		t.Fatal(err)
	}
	s := sfn.NewFromConfig(srv.AWSConfig())
	sm, err := s.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("waits"),
		RoleArn:    aws.String("arn:aws:iam::123456789012:role/r"),
		Definition: aws.String(`{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`)})
	if err != nil {
		t.Fatal(err)
	}
	exec := start(t, s, aws.ToString(sm.StateMachineArn), `{"k":1}`)
	if _, err := s.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: aws.String(exec)}); err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-got:
		detail, _ := ev["detail"].(map[string]any)
		if ev["detail-type"] != "Step Functions Execution Status Change" || detail["executionArn"] != exec ||
			detail["status"] != "ABORTED" || detail["input"] != `{"k":1}` {
			t.Errorf("event = %v", ev)
		}
		if res, _ := ev["resources"].([]any); len(res) != 1 || res[0] != exec {
			t.Errorf("resources = %v", ev["resources"])
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the ABORTED event did not reach the rule's target")
	}
}
