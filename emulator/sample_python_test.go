package emulator_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepwire/stepwire/emulator/emulatortest"
)

// The blog sample's shape, unchanged (testdata/sample: its template, a
// state machine file and Python 3.12 Lambdas that use boto3 for iot-data
// and stepfunctions), runs the whole loop with stepwire's worker: the
// Lambdas run as processes under the Runtime API and their boto3 clients
// reach the emulator with no endpoint in their code (docs/lambda.md §5).
func TestSamplePythonLambdas(t *testing.T) {
	srv := emulatortest.New(t, emulatortest.WithTemplate("testdata/sample/template.yml"))
	startWorker(t, srv)
	c := sfn.NewFromConfig(srv.AWSConfig())

	d := waitDone(t, c, start(t, c, machineArn, `{"a":15,"b":42}`))
	if d.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("status %s error %q cause %q", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
	}
	if got, want := aws.ToString(d.Output), `{"a":15,"b":42,"lambdaOutput":{"result":57}}`; got != want {
		t.Errorf("output = %s, want %s", got, want)
	}
	resp, err := http.Get(srv.Endpoints().HTTP + "/_stepwire/logs/SendToWorkerFunction")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	logs, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(logs), "dispatched to tenant1/to/worker") || !strings.Contains(string(logs), "REPORT RequestId: ") {
		t.Errorf("dispatch function's log:\n%s", logs)
	}
}
