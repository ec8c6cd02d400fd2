package iotemu

import (
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/internal/awscli"
)

// topicPolicy allows connecting as any thing and publishing and receiving
// on one topic.
func topicPolicy(topic string) string {
	return fmt.Sprintf(`{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"iot:Connect","Resource":"*"},
 {"Effect":"Allow","Action":["iot:Publish","iot:Receive"],"Resource":"arn:aws:iot:*:*:topic/%s"},
 {"Effect":"Allow","Action":"iot:Subscribe","Resource":"arn:aws:iot:*:*:topicfilter/%s"}]}`, topic, topic)
}

func newCLI(t *testing.T, s *Service) *cliRunner {
	t.Helper()
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return &cliRunner{t: t, cli: awscli.Path(t), url: srv.URL, dir: t.TempDir()}
}

// docs/iot-core.md §8.2: policy versions through the aws CLI — the
// 5-version limit, the default version, which cannot be deleted, and
// DeletePolicy refused while other versions remain.
func TestAWSCLIPolicyVersions(t *testing.T) {
	s, _ := startService(t)
	c := newCLI(t, s)
	c.must("iot", "create-policy", "--policy-name", "P", "--policy-document", c.file("v1.json", topicPolicy("a")))
	for i := 2; i <= maxPolicyVersions; i++ {
		v := c.must("iot", "create-policy-version", "--policy-name", "P", "--policy-document", c.file("v.json", topicPolicy(fmt.Sprint("t", i))))
		require.Equal(t, fmt.Sprint(i), v["policyVersionId"])
		require.Equal(t, false, v["isDefaultVersion"])
	}
	c.fails("VersionsLimitExceededException", "iot", "create-policy-version", "--policy-name", "P",
		"--policy-document", c.file("v.json", topicPolicy("x")))
	vs := c.must("iot", "list-policy-versions", "--policy-name", "P")["policyVersions"].([]any)
	require.Len(t, vs, maxPolicyVersions)
	require.Equal(t, "5", vs[0].(map[string]any)["versionId"], "newest first")
	require.Equal(t, true, vs[4].(map[string]any)["isDefaultVersion"])

	c.must("iot", "set-default-policy-version", "--policy-name", "P", "--policy-version-id", "3")
	got := c.must("iot", "get-policy", "--policy-name", "P")
	require.Equal(t, "3", got["defaultVersionId"])
	require.Equal(t, topicPolicy("t3"), got["policyDocument"])
	pv := c.must("iot", "get-policy-version", "--policy-name", "P", "--policy-version-id", "3")
	require.Equal(t, true, pv["isDefaultVersion"])

	c.fails("DeleteConflictException", "iot", "delete-policy-version", "--policy-name", "P", "--policy-version-id", "3")
	c.fails("DeleteConflictException", "iot", "delete-policy", "--policy-name", "P")
	c.fails("ResourceNotFoundException", "iot", "set-default-policy-version", "--policy-name", "P", "--policy-version-id", "9")
	for _, id := range []string{"1", "2", "4", "5"} {
		c.must("iot", "delete-policy-version", "--policy-name", "P", "--policy-version-id", id)
	}
	v := c.must("iot", "create-policy-version", "--policy-name", "P", "--set-as-default", "--policy-document", c.file("v.json", topicPolicy("t6")))
	require.Equal(t, "6", v["policyVersionId"], "version ids are not reused")
	require.Equal(t, true, v["isDefaultVersion"])
	c.must("iot", "delete-policy-version", "--policy-name", "P", "--policy-version-id", "3")
	c.must("iot", "delete-policy", "--policy-name", "P")
}

// docs/iot-core.md §8.2: only the default version is operative, and a new
// default applies to connected clients at their next action.
func TestSpecDefaultPolicyVersionDecides(t *testing.T) {
	s, _ := startService(t)
	tlsCfg := setupThing(t, s, "dev", topicPolicy("old"))
	mc := mustDial(t, s, tlsCfg, "dev")
	require.Equal(t, byte(1), subscribe(t, mc, "old"))
	_, err := s.CreatePolicyVersion("p-dev", topicPolicy("new"), false)
	require.NoError(t, err)
	require.Equal(t, byte(0x87), subscribe(t, mc, "new"), "a version that is not the default decides nothing")
	require.NoError(t, s.SetDefaultPolicyVersion("p-dev", "2"))
	require.Equal(t, byte(1), subscribe(t, mc, "new"))
	require.Equal(t, byte(0x87), subscribe(t, mc, "old"))
}
