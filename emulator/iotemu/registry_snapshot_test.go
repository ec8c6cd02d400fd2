package iotemu

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iot"
	"github.com/aws/aws-sdk-go-v2/service/iot/types"
	"github.com/aws/aws-sdk-go-v2/service/iotdataplane"
	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/emulator/store"
)

// startDurable starts a service on the data dir and state file of dir,
// closed with the test or by the returned func.
func startDurable(t *testing.T, dir string) (*Service, func()) {
	t.Helper()
	st, err := store.Open(filepath.Join(dir, "state.db"))
	require.NoError(t, err)
	s, err := New(Config{DataDir: dir, MQTTAddr: "127.0.0.1:0", Logger: testLogger(t), Store: st})
	if err != nil {
		st.Close()
		t.Fatal(err)
	}
	require.NoError(t, s.Start())
	done := false
	stop := func() {
		if !done {
			done = true
			s.Close()
			st.Close()
		}
	}
	t.Cleanup(stop)
	return s, stop
}

// TestRegistrySurvivesRestart: what the control plane created is there
// after a restart on the same data dir, and a worker connects with the
// certificate it was issued before (docs/durability.md §4).
func TestRegistrySurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	s, stop := startDurable(t, dir)
	ctl, _, _ := sdkClients(t, s)
	ctx := context.Background()
	_, err := ctl.CreatePolicy(ctx, &iot.CreatePolicyInput{PolicyName: aws.String("OnPremContainer"), PolicyDocument: aws.String(samplePolicy)})
	require.NoError(t, err)
	_, err = ctl.CreateThing(ctx, &iot.CreateThingInput{ThingName: aws.String("mqtt-container-client"),
		AttributePayload: &types.AttributePayload{Attributes: map[string]string{"site": "berlin"}}})
	require.NoError(t, err)
	kc, err := ctl.CreateKeysAndCertificate(ctx, &iot.CreateKeysAndCertificateInput{SetAsActive: true})
	require.NoError(t, err)
	_, err = ctl.AttachPolicy(ctx, &iot.AttachPolicyInput{PolicyName: aws.String("OnPremContainer"), Target: kc.CertificateArn})
	require.NoError(t, err)
	_, err = ctl.AttachThingPrincipal(ctx, &iot.AttachThingPrincipalInput{ThingName: aws.String("mqtt-container-client"), Principal: kc.CertificateArn})
	require.NoError(t, err)
	revoked, err := ctl.CreateKeysAndCertificate(ctx, &iot.CreateKeysAndCertificateInput{SetAsActive: true})
	require.NoError(t, err)
	_, err = ctl.UpdateCertificate(ctx, &iot.UpdateCertificateInput{CertificateId: revoked.CertificateId, NewStatus: types.CertificateStatusRevoked})
	require.NoError(t, err)
	_, err = ctl.CreateTopicRule(ctx, &iot.CreateTopicRuleInput{RuleName: aws.String("Complete"), TopicRulePayload: &types.TopicRulePayload{
		Sql: aws.String("SELECT * FROM 'tenant1/to/lambda'"), Actions: []types.Action{{Lambda: &types.LambdaAction{FunctionArn: aws.String("fn")}}}}})
	require.NoError(t, err)
	before, err := json.Marshal(s.reg.state())
	require.NoError(t, err)
	stop()

	s2, _ := startDurable(t, dir)
	after, err := json.Marshal(s2.reg.state())
	require.NoError(t, err)
	require.JSONEq(t, string(before), string(after))
	ctl2, _, _ := sdkClients(t, s2)
	th, err := ctl2.DescribeThing(ctx, &iot.DescribeThingInput{ThingName: aws.String("mqtt-container-client")})
	require.NoError(t, err)
	require.Equal(t, "berlin", th.Attributes["site"])
	rule, err := ctl2.GetTopicRule(ctx, &iot.GetTopicRuleInput{RuleName: aws.String("Complete")})
	require.NoError(t, err)
	require.Equal(t, "fn", aws.ToString(rule.Rule.Actions[0].Lambda.FunctionArn))

	worker := mustDial(t, s2, clientTLS(t, s2, []byte(aws.ToString(kc.CertificatePem)), []byte(aws.ToString(kc.KeyPair.PrivateKey))), "mqtt-container-client")
	require.Equal(t, byte(1), subscribe(t, worker, "tenant1/to/worker"))
	_, _, err = dial(t, s2, clientTLS(t, s2, []byte(aws.ToString(revoked.CertificatePem)), []byte(aws.ToString(revoked.KeyPair.PrivateKey))), "x")
	require.Error(t, err, "a certificate revoked before the restart connects")
}

// TestFailedCallsAreNotSaved: a refused control-plane call writes
// nothing, an unchanged registry is not written again.
func TestFailedCallsAreNotSaved(t *testing.T) {
	mem := store.NewMem()
	s, err := New(Config{DataDir: t.TempDir(), MQTTAddr: "127.0.0.1:0", Logger: testLogger(t), Store: mem})
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	ctl, _, _ := sdkClients(t, s)
	ctx := context.Background()
	_, err = ctl.CreatePolicy(ctx, &iot.CreatePolicyInput{PolicyName: aws.String("P"), PolicyDocument: aws.String("not json")})
	require.Error(t, err)
	_, ok, _ := mem.Get(registryBucket, "policy/P")
	require.False(t, ok, "a refused call saved the registry")
	_, err = ctl.CreateThing(ctx, &iot.CreateThingInput{ThingName: aws.String("t")})
	require.NoError(t, err)
	_, ok, _ = mem.Get(registryBucket, "thing/t")
	require.True(t, ok)
}

// TestRetainedMessagesSurviveRestart: a retained message, and its
// deletion, are kept across a restart (docs/durability.md §4).
func TestRetainedMessagesSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	s, stop := startDurable(t, dir)
	_, data, _ := sdkClients(t, s)
	ctx := context.Background()
	for _, topic := range []string{"devices/a/state", "devices/b/state"} {
		_, err := data.Publish(ctx, &iotdataplane.PublishInput{Topic: aws.String(topic), Qos: 1, Retain: true, Payload: []byte(`{"on":true}`)})
		require.NoError(t, err)
	}
	_, err := data.Publish(ctx, &iotdataplane.PublishInput{Topic: aws.String("devices/b/state"), Qos: 1, Retain: true, Payload: nil})
	require.NoError(t, err)
	before, err := data.GetRetainedMessage(ctx, &iotdataplane.GetRetainedMessageInput{Topic: aws.String("devices/a/state")})
	require.NoError(t, err)
	stop()

	s2, _ := startDurable(t, dir)
	_, data2, _ := sdkClients(t, s2)
	after, err := data2.GetRetainedMessage(ctx, &iotdataplane.GetRetainedMessageInput{Topic: aws.String("devices/a/state")})
	require.NoError(t, err)
	require.Equal(t, `{"on":true}`, string(after.Payload))
	require.Equal(t, before.LastModifiedTime, after.LastModifiedTime)
	_, err = data2.GetRetainedMessage(ctx, &iotdataplane.GetRetainedMessageInput{Topic: aws.String("devices/b/state")})
	require.Error(t, err, "a deleted retained message came back")
}

// TestDecodeEntriesRefusesDamage: an entity that does not read back is an
// error naming its key, never skipped.
func TestDecodeEntriesRefusesDamage(t *testing.T) {
	cases := []struct {
		name string
		all  map[string][]byte
		want string
	}{
		{"bad json", map[string][]byte{"thing/t": []byte("{")}, "thing/t"},
		{"unknown kind", map[string][]byte{"gadget/g": []byte("{}")}, "gadget/g"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decodeEntries(tc.all)
			require.ErrorContains(t, err, tc.want)
		})
	}
}
