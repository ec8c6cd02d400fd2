package eventsapi

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// post sends one awsJson 1.1 request and returns the status and the
// decoded body.
func (h *harness) post(t *testing.T, op, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.url+"/", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("X-Amz-Target", TargetPrefix+"."+op)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.Unmarshal(b, &out), string(b))
	return resp.StatusCode, out
}

// Requests the SDKs refuse before sending, checked on the wire.
func TestRawRequests(t *testing.T) {
	h := newHarness(t)
	for _, c := range []struct {
		op, body string
		status   int
		want     map[string]any
	}{
		{"DescribeRule", `{}`, 400, map[string]any{"__type": "ValidationException",
			"message": "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null"}},
		{"PutEvents", `{"Entries":[]}`, 400, map[string]any{"__type": "ValidationException",
			"message": "1 validation error detected: Value '[]' at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1"}},
		{"PutTargets", `{"Rule":"r","Targets":[{"Id":""}]}`, 400, map[string]any{"__type": "ValidationException",
			"message": "2 validation errors detected: Value '' at 'targets.1.member.id' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
				"Value null at 'targets.1.member.arn' failed to satisfy constraint: Member must not be null"}},
		{"ListRules", `{"Limit":0}`, 400, map[string]any{"__type": "ValidationException",
			"message": "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"}},
		{"PutRule", `{"Name":5}`, 400, map[string]any{"__type": "SerializationException",
			"message": "number value can not be converted to string at 'Name'"}},
		{"TestEventPattern", `{}`, 400, map[string]any{"__type": "UnknownOperationException",
			"message": "Unknown operation AWSEvents.TestEventPattern"}},
		{"ListRules", `{}`, 200, map[string]any{"Rules": []any{}}},
		{"PutEvents", `{"Entries":[{"Source":"s","DetailType":"t","Detail":"[1]"}]}`, 200, map[string]any{
			"FailedEntryCount": 1.0, "Entries": []any{map[string]any{"ErrorCode": "MalformedDetail", "ErrorMessage": "Detail is malformed."}}}},
	} {
		status, body := h.post(t, c.op, c.body)
		require.Equal(t, c.status, status, "%s %s: %v", c.op, c.body, body)
		require.Equal(t, c.want, body, "%s %s", c.op, c.body)
	}
}
