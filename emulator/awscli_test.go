package emulator_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stepwire/stepwire/emulator/emulatortest"
)

// awsCLI finds the real AWS CLI: STEPWIRE_AWS_CLI (set by `make test`,
// which installs Debian's awscli), else /usr/bin/aws.
func awsCLI(t *testing.T) string {
	if p := os.Getenv("STEPWIRE_AWS_CLI"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("STEPWIRE_AWS_CLI=%s: %v", p, err)
		}
		return p
	}
	if _, err := os.Stat("/usr/bin/aws"); err == nil {
		return "/usr/bin/aws"
	}
	t.Skip("no AWS CLI: run through `make test`, which installs Debian's awscli")
	return ""
}

// The real aws CLI starts and describes an execution against the emulator.
func TestAWSCLI(t *testing.T) {
	cli := awsCLI(t)
	srv := emulatortest.New(t, emulatortest.WithTemplate(templatePath))
	startWorker(t, srv)
	run := func(args ...string) map[string]any {
		t.Helper()
		cmd := exec.Command(cli, append([]string{"--endpoint-url", srv.Endpoints().HTTP, "--output", "json", "stepfunctions"}, args...)...)
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION=us-east-1",
			"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=")
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
