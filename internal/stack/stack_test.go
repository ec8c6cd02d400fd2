package stack_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/smithy-go"

	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/internal/stack"
)

// TestDiscoverOnEmulator runs the discovery that finds a stack on AWS
// against the emulator that loaded the same template
// (docs/cloudformation.md §3, §4).
func TestDiscoverOnEmulator(t *testing.T) {
	srv := emulatortest.New(t, emulatortest.WithTemplate("../../template.yaml"))
	r, err := stack.Discover(context.Background(), srv.AWSConfig(), "stepwire")
	if err != nil {
		t.Fatal(err)
	}
	if r.StateMachineArn != "arn:aws:states:us-east-1:123456789012:stateMachine:MqttBasedStateMachine" ||
		r.WorkerTopic != "tenant1/to/worker" || r.ResultsTopic != "tenant1/to/lambda" ||
		r.Physical["SendToWorkerFunction"] != "SendToWorkerFunction" || r.Physical["TaskTokenToLambdaTopicRule"] != "TaskTokenToLambdaTopic" ||
		r.MQTTAddress() != srv.Endpoints().MQTT || r.Outputs["WorkerRoleArn"] == "" {
		t.Fatalf("resources = %+v", r)
	}
}

// TestDiscoverMissingStack: CloudFormation's ValidationError for a stack
// it does not have (docs/cloudformation.md §2).
func TestDiscoverMissingStack(t *testing.T) {
	srv := emulatortest.New(t, emulatortest.WithTemplate("../../template.yaml"))
	_, err := stack.Discover(context.Background(), srv.AWSConfig(), "nope")
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "ValidationError" || ae.ErrorMessage() != "Stack with id nope does not exist" {
		t.Fatalf("err = %v", err)
	}
}

func TestMQTTAddress(t *testing.T) {
	for in, want := range map[string]string{"a1b2-ats.iot.eu-west-1.amazonaws.com": "a1b2-ats.iot.eu-west-1.amazonaws.com:8883",
		"127.0.0.1:8883": "127.0.0.1:8883", "localhost:1883": "localhost:1883"} {
		if got := (&stack.Resources{IoTDataEndpoint: in}).MQTTAddress(); got != want {
			t.Errorf("MQTTAddress(%q) = %q, want %q", in, got, want)
		}
	}
}
