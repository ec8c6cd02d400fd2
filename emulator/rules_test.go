package emulator_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/emulator/iotemu"
)

// A topic rule's stepFunctions action starts an execution with the SELECT
// result as input and a name made of the prefix and a UUID (reference
// docs/iot-core.md §4.2).
func TestRuleStartsExecution(t *testing.T) {
	srv := emulatortest.New(t)
	c := sfn.NewFromConfig(srv.AWSConfig())
	ctx := context.Background()
	sm, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("onReading"),
		Definition: aws.String(`{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`),
		RoleArn:    aws.String("arn:aws:iam::123456789012:role/r")})
	if err != nil {
		t.Fatal(err)
	}
	rule := iotemu.TopicRule{SQL: "SELECT temp, topic(2) AS site FROM 'sensors/+/temp'", Actions: []iotemu.Action{
		{StepFunctions: &iotemu.StepFunctionsAction{StateMachineName: "onReading", ExecutionNamePrefix: "reading-",
			RoleArn: "arn:aws:iam::123456789012:role/r"}}}}
	if err := srv.IoT.CreateTopicRule("toStates", rule); err != nil {
		t.Fatal(err)
	}
	if err := srv.IoT.Publish(ctx, "sensors/paris/temp", []byte(`{"temp":21.5,"unit":"C"}`), 1); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		list, err := c.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: sm.StateMachineArn,
			StatusFilter: types.ExecutionStatusSucceeded})
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Executions) == 1 {
			e := list.Executions[0]
			if !strings.HasPrefix(aws.ToString(e.Name), "reading-") {
				t.Errorf("execution name %q lacks the prefix", aws.ToString(e.Name))
			}
			d, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: e.ExecutionArn})
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(aws.ToString(d.Output)), &got); err != nil || got["temp"] != 21.5 || got["site"] != "paris" || len(got) != 2 {
				t.Errorf("output = %s", aws.ToString(d.Output))
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("no execution started by the rule after 10s")
		}
		time.Sleep(2 * time.Millisecond) // polling interval
	}
}
