package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/stepwire/stepwire/emulator/emulatortest"
)

// `stepwire logs FUNCTION` prints the invocation's frame and output;
// an unknown function is an error.
func TestLogsCommand(t *testing.T) {
	srv := emulatortest.New(t, emulatortest.WithTemplate("../../emulator/testdata/lambda/template.yaml"))
	c := lambda.NewFromConfig(srv.AWSConfig())
	if _, err := c.Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String("PyProbe"), Payload: []byte(`{"op":"hi"}`)}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := logsCmd(context.Background(), []string{"--endpoint", srv.Endpoints().HTTP, "PyProbe"}, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"START RequestId: ", `probe {"op": "hi"}`, "END RequestId: ", "REPORT RequestId: "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("logs lack %q:\n%s", want, out.String())
		}
	}
	if err := logsCmd(context.Background(), []string{"--endpoint", srv.Endpoints().HTTP, "Nope"}, &out); err == nil {
		t.Error("logs of an unknown function: no error")
	}
}
