package emulator_test

import (
	"encoding/json"
	"os/exec"
	"testing"
	"time"

	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/internal/awscli"
)

// The real aws CLI starts and describes an execution against the emulator.
func TestAWSCLI(t *testing.T) {
	cli := awscli.Path(t)
	srv := emulatortest.New(t, emulatortest.WithTemplate(templatePath))
	startWorker(t, srv)
	run := func(args ...string) map[string]any {
		t.Helper()
		cmd := exec.Command(cli, append([]string{"--endpoint-url", srv.Endpoints().HTTP, "--output", "json", "stepfunctions"}, args...)...)
		cmd.Env = awscli.Environ()
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("aws %v: %v\n%s", args, err, out)
		}
		var m map[string]any
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatalf("aws %v: %v\n%s", args, err, out)
		}
		return m
	}
	started := run("start-execution", "--state-machine-arn", machineArn, "--input", `{"a":15,"b":42}`)
	arn, _ := started["executionArn"].(string)
	if arn == "" {
		t.Fatalf("start-execution: %v", started)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		d := run("describe-execution", "--execution-arn", arn)
		if d["status"] == "SUCCEEDED" {
			if d["output"] != `{"a":15,"b":42,"lambdaOutput":{"result":57}}` {
				t.Fatalf("output = %v", d["output"])
			}
			return
		}
		if d["status"] != "RUNNING" || time.Now().After(deadline) {
			t.Fatalf("describe-execution: %v", d)
		}
	}
}

// The real aws CLI tests a state (docs/step-functions.md §8) with host
// prefixing off, as README says. CLIs older than TestState (Debian's
// v2.9) skip it.
func TestAWSCLITestState(t *testing.T) {
	cli := awscli.Path(t)
	help := exec.Command(cli, "stepfunctions", "test-state", "help")
	help.Env = awscli.Environ()
	if err := help.Run(); err != nil {
		t.Skipf("%s has no stepfunctions test-state: %v", cli, err)
	}
	srv := emulatortest.New(t)
	cmd := exec.Command(cli, "--endpoint-url", srv.Endpoints().HTTP, "--output", "json", "stepfunctions", "test-state",
		"--definition", `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},"ResultPath":"$.r","Next":"N"}`,
		"--input", `{"a":1}`, "--inspection-level", "DEBUG", "--mock", `{"result":"{\"ok\":true}"}`)
	cmd.Env = append(awscli.Environ(), "AWS_DISABLE_HOST_PREFIX_INJECTION=true")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("aws stepfunctions test-state: %v\n%s", err, out)
	}
	var got struct {
		Status, Output, NextState string
		InspectionData            struct{ Result string }
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("test-state: %v\n%s", err, out)
	}
	if got.Status != "SUCCEEDED" || got.Output != `{"a":1,"r":{"ok":true}}` || got.NextState != "N" || got.InspectionData.Result != `{"ok":true}` {
		t.Fatalf("test-state answered %s", out)
	}
}
