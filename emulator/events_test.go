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
