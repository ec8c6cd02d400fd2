package emulator_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepwire/stepwire/emulator"
	"github.com/stepwire/stepwire/emulator/emulatortest"
)

// With --lambda-mode process the repository's own Lambdas run as the
// bootstrap executables deployed to AWS (provided.al2023), under the
// Lambda Runtime API, and the sample's loop ends as it does in-process
// (docs/lambda.md).
func TestSampleRoundTripWithBootstrapLambdas(t *testing.T) {
	srv := emulatortest.New(t, emulatortest.WithTemplate(emulatortest.BootstrapTemplate(t, "..")),
		emulatortest.WithLambdaMode(emulator.LambdaProcess))
	startWorker(t, srv)
	c := sfn.NewFromConfig(srv.AWSConfig())
	arn := start(t, c, machineArn, `{"a":15,"b":42}`)
	d := waitDone(t, c, arn)
	if d.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("status %s error %q cause %q", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
	}
	if got, want := aws.ToString(d.Output), `{"a":15,"b":42,"lambdaOutput":{"result":57}}`; got != want {
		t.Fatalf("output = %s, want %s", got, want)
	}
	// The dispatch Lambda ran in a function process: its cold start has an
	// Init Duration, and its log holds what the process wrote to stdout.
	lines := strings.Join(srv.Lambda.Logs().Lines("SendToWorkerFunction"), "\n")
	if !strings.Contains(lines, "Init Duration:") || !strings.Contains(lines, `"hop":"dispatch-publish"`) {
		t.Fatalf("SendToWorkerFunction's log is not a function process's:\n%s", lines)
	}
}
