package emulator_test

import (
	"encoding/json"
	"os/exec"
	"testing"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/internal/awscli"
)

// The real aws CLI reads the loaded template's stack (awsQuery, XML;
// docs/cloudformation.md §1-§3) and Scheduler's schedules (restJson;
// docs/eventbridge.md §7.1), each signed for its own service name, with
// signature checking on.
func TestAWSCLIStackAndSchedules(t *testing.T) {
	cli := awscli.Path(t)
	key := awsapi.Credential{AccessKeyID: "AKIDSTACK", SecretAccessKey: "stack-secret"}
	srv := emulatortest.New(t, emulatortest.WithTemplate(templatePath), emulatortest.WithCredentials(key))
	run := func(args ...string) map[string]any {
		t.Helper()
		cmd := exec.Command(cli, append([]string{"--endpoint-url", srv.Endpoints().HTTP, "--output", "json"}, args...)...)
		cmd.Env = append(awscli.Environ(), "AWS_ACCESS_KEY_ID="+key.AccessKeyID, "AWS_SECRET_ACCESS_KEY="+key.SecretAccessKey)
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
	d := run("cloudformation", "describe-stacks", "--stack-name", "stepwire")
	stacks, _ := d["Stacks"].([]any)
	st, _ := stacks[0].(map[string]any)
	outputs, _ := st["Outputs"].([]any)
	if st["StackStatus"] != "CREATE_COMPLETE" || len(outputs) != 4 {
		t.Fatalf("describe-stacks: %v", d)
	}
	r := run("cloudformation", "list-stack-resources", "--stack-name", "stepwire")
	if res, _ := r["StackResourceSummaries"].([]any); len(res) != 13 {
		t.Fatalf("list-stack-resources: %v", r)
	}
	s := run("scheduler", "list-schedules")
	if _, ok := s["Schedules"]; !ok {
		t.Fatalf("list-schedules: %v", s)
	}
}
