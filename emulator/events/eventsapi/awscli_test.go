package eventsapi

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/internal/awscli"
)

// cli calls `aws events …` against the harness and decodes its JSON
// output; on failure it returns nil and stderr.
func (h *harness) cli(t *testing.T, args ...string) (map[string]any, string) {
	t.Helper()
	cmd := exec.Command(awscli.Path(t), append([]string{"--endpoint-url", h.url, "--output", "json", "events"}, args...)...)
	cmd.Env = awscli.Environ()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, stderr.String()
	}
	m := map[string]any{}
	if len(strings.TrimSpace(string(out))) > 0 {
		require.NoError(t, json.Unmarshal(out, &m), "aws events %v: %s", args, out)
	}
	return m, ""
}

func (h *harness) mustCLI(t *testing.T, args ...string) map[string]any {
	t.Helper()
	m, stderr := h.cli(t, args...)
	require.NotNil(t, m, "aws events %v: %s", args, stderr)
	return m
}

// The setup a developer scripts with the real aws CLI: a rule for aborted
// executions, a Lambda target, a test event.
func TestAWSCLI(t *testing.T) {
	h := newHarness(t)
	pattern := `{"source":["aws.states"],"detail-type":["Step Functions Execution Status Change"],"detail":{"status":["ABORTED","TIMED_OUT"]}}`
	out := h.mustCLI(t, "put-rule", "--name", "cancel-on-abort", "--event-pattern", pattern, "--description", "cancel the job")
	require.Equal(t, "arn:aws:events:us-east-1:123456789012:rule/cancel-on-abort", out["RuleArn"])
	out = h.mustCLI(t, "put-targets", "--rule", "cancel-on-abort", "--targets", `[{"Id":"cancel","Arn":"`+fnArn+`"}]`)
	require.Equal(t, 0.0, out["FailedEntryCount"])

	out = h.mustCLI(t, "describe-rule", "--name", "cancel-on-abort")
	require.Equal(t, "ENABLED", out["State"])
	require.Equal(t, pattern, out["EventPattern"])
	out = h.mustCLI(t, "list-targets-by-rule", "--rule", "cancel-on-abort")
	require.Equal(t, []any{map[string]any{"Id": "cancel", "Arn": fnArn}}, out["Targets"])

	out = h.mustCLI(t, "put-events", "--entries", `[{"Source":"aws.states","DetailType":"Step Functions Execution Status Change","Detail":"{\"status\":\"ABORTED\"}","Resources":["arn:exec"]}]`)
	require.Equal(t, 0.0, out["FailedEntryCount"])
	select {
	case d := <-h.delivered:
		require.Equal(t, fnArn, d[0])
		require.Contains(t, d[1], `"detail":{"status":"ABORTED"}`)
	case <-time.After(5 * time.Second):
		t.Fatal("no delivery")
	}

	_, stderr := h.cli(t, "delete-rule", "--name", "cancel-on-abort")
	require.Contains(t, stderr, "(ValidationException) when calling the DeleteRule operation: Rule can't be deleted since it has targets.")
	h.mustCLI(t, "remove-targets", "--rule", "cancel-on-abort", "--ids", "cancel")
	_, stderr = h.cli(t, "describe-rule", "--name", "nope")
	require.Contains(t, stderr, "(ResourceNotFoundException) when calling the DescribeRule operation: Rule nope does not exist on EventBus default.")
	_, stderr = h.cli(t, "put-rule", "--name", "bad", "--event-pattern", `{"detail":{"status":[{"EXISTS":true}]}}`)
	require.Contains(t, stderr, "(InvalidEventPatternException) when calling the PutRule operation: Event pattern is not valid. Reason: Unrecognized match type EXISTS")
}
