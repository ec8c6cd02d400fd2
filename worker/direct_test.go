package worker_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/worker"
)

// ciKey is the only static key the emulator accepts in these tests: the
// worker never has it, so its calls can pass only with Roles Anywhere's
// session credentials.
var ciKey = awsapi.Credential{Profile: "default", AccessKeyID: "AKIDSTEPWIRECI", SecretAccessKey: "ci-secret"}

// TestReportModesCompleteAnExecution runs the template's state machine
// with signature checking on, once per reporting mode
// (docs/roles-anywhere.md §4): over MQTT, the topic rule and the complete
// Lambda (signing with the configured key) finish the task; directly, the
// worker creates a Roles Anywhere session with its MQTT certificate (the
// template's trust anchor is the emulator's CA) and calls SendTaskSuccess
// with the session's credentials, publishing nothing.
func TestReportModesCompleteAnExecution(t *testing.T) {
	for _, mode := range []string{worker.ReportMQTT, worker.ReportDirect} {
		t.Run(mode, func(t *testing.T) {
			srv := emulatortest.New(t, emulatortest.WithTemplate("../template.yaml"), emulatortest.WithCredentials(ciKey))
			cfg := worker.Config{ClientID: thing, SubscribeTopic: workerTopic, SubmitTopic: lambdaTopic, Report: mode}
			if mode == worker.ReportDirect {
				cfg.SubmitTopic = ""
				cfg.Direct = directConfig(t, srv)
			}
			w := srv.StartWorker(cfg, policy, worker.DefaultHandler())

			c := sfn.NewFromConfig(srv.AWSConfig())
			out, err := c.StartExecution(context.Background(), &sfn.StartExecutionInput{
				StateMachineArn: aws.String(machineArn), Input: aws.String(`{"a":15,"b":42}`)})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			status, err := srv.SFN.WaitExecution(ctx, aws.ToString(out.ExecutionArn))
			if err != nil || status != "SUCCEEDED" {
				t.Fatalf("execution %s %v, want SUCCEEDED", status, err)
			}
			d, err := c.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: out.ExecutionArn})
			if err != nil || aws.ToString(d.Output) != `{"a":15,"b":42,"lambdaOutput":{"result":57}}` {
				t.Fatalf("output %q, %v", aws.ToString(d.Output), err)
			}
			sessions := srv.RolesAnywhere.LiveSessions()
			switch mode {
			case worker.ReportDirect:
				if sessions != 1 || w.Published() != 0 {
					t.Fatalf("direct: %d sessions, %d MQTT publishes; want 1 and 0", sessions, w.Published())
				}
			default:
				// The rule can complete the execution before the PUBACK
				// reaches the worker, which counts the publish then.
				for deadline := time.Now().Add(10 * time.Second); w.Published() == 0 && time.Now().Before(deadline); {
					time.Sleep(time.Millisecond) // polling interval, not synchronisation
				}
				if sessions != 0 || w.Published() != 1 {
					t.Fatalf("mqtt: %d sessions, %d MQTT publishes; want 0 and 1", sessions, w.Published())
				}
			}
		})
	}
}

// directConfig points direct reporting at the emulator and the template's
// trust anchor, profile and role.
func directConfig(t *testing.T, srv *emulatortest.Server) worker.DirectConfig {
	t.Helper()
	tas, profiles := srv.RolesAnywhere.TrustAnchors(), srv.RolesAnywhere.Profiles()
	if len(tas) != 1 || len(profiles) != 1 || len(profiles[0].RoleArns) != 1 {
		t.Fatalf("template: %d trust anchors, %d profiles", len(tas), len(profiles))
	}
	ends := srv.Endpoints()
	return worker.DirectConfig{TrustAnchorArn: tas[0].Arn, ProfileArn: profiles[0].Arn, RoleArn: profiles[0].RoleArns[0],
		Region: ends.Region, SFNEndpoint: ends.HTTP, RolesAnywhereEndpoint: ends.HTTP}
}
