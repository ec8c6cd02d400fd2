package iotemu

import (
	"context"
	"crypto/tls"
	"io"
	"testing"
	"time"

	"github.com/eclipse/paho.golang/paho"
	"github.com/stretchr/testify/require"
)

// The sample worker subscribes to its job topic and receives a job the
// dispatch Lambda publishes through the data plane.
func TestSampleWorkerReceivesDataPlanePublish(t *testing.T) {
	s, _ := startService(t)
	worker := mustDial(t, s, setupSample(t, s), "mqtt-container-client")
	require.Equal(t, byte(1), subscribe(t, worker, "tenant1/to/worker"))

	job := []byte(`{"Input":{"a":1,"b":2},"TaskToken":"tok-1"}`)
	require.NoError(t, s.Publish(context.Background(), "tenant1/to/worker", job, 1))
	got := receive(t, worker)
	require.Equal(t, "tenant1/to/worker", got.Topic)
	require.Equal(t, job, got.Payload)
}

// Reference §1.4 and §1.7: a second tenant may subscribe to wildcards its
// policy allows, but iot:Receive is checked per delivery, so it never gets
// tenant1's jobs; subscribing to tenant1's filter itself or publishing to
// tenant1's results topic is refused with reason code 0x87.
func TestSpecTenantIsolation(t *testing.T) {
	s, invoked := startService(t)
	setupSample(t, s)
	require.NoError(t, s.CreateTopicRule("Results", TopicRule{SQL: "SELECT * FROM '+/to/lambda'",
		Actions: []Action{{LambdaFunctionArn: "complete"}}}))
	tenant2 := mustDial(t, s, setupTenant2(t, s), "tenant2")

	// The sample policy grants only tenant1 filters; tenant2's grants any
	// filter, so deny tenant1's explicitly to show SUBACK 0x87.
	require.NoError(t, s.CreatePolicy("NoTenant1", `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"iot:Subscribe","Resource":"arn:aws:iot:*:*:topicfilter/tenant1/*"}}`))
	id := certOfThing(t, s, "tenant2")
	require.NoError(t, s.AttachPolicy("NoTenant1", id))

	require.Equal(t, byte(0x87), subscribe(t, tenant2, "tenant1/to/worker"))
	require.Equal(t, byte(1), subscribe(t, tenant2, "#"))
	require.Equal(t, byte(1), subscribe(t, tenant2, "+/to/worker"))

	ctx := context.Background()
	require.NoError(t, s.Publish(ctx, "tenant1/to/worker", []byte(`{"TaskToken":"tenant1-job"}`), 1))
	require.NoError(t, s.Publish(ctx, "tenant2/to/worker", []byte(`{"TaskToken":"tenant2-job"}`), 1))
	// Deliveries to one client keep publish order (mochi merges the
	// overlapping subscriptions into one delivery), so tenant2's own job
	// arriving first proves tenant1's was not delivered.
	got := receive(t, tenant2)
	require.Equal(t, "tenant2/to/worker", got.Topic)

	resp, err := tenant2.Publish(ctxT(t), &paho.Publish{Topic: "tenant1/to/lambda", QoS: 1, Payload: []byte(`{"TaskToken":"forged"}`)})
	require.Error(t, err)
	require.Equal(t, byte(0x87), resp.ReasonCode)
	// Its own results topic works and reaches the rule.
	_, err = tenant2.Publish(ctxT(t), &paho.Publish{Topic: "tenant2/to/lambda", QoS: 1, Payload: []byte(`{"TaskToken":"own"}`)})
	require.NoError(t, err)
	inv := <-invoked
	require.JSONEq(t, `{"TaskToken":"own"}`, string(inv.payload))
}

// Without the explicit Deny, tenant2's broad Subscribe grant lets the
// subscription to tenant1's filter succeed, and Receive still stops the
// messages (docs/iot-core.md §1.4, "Subscribe but no Receive").
func TestSpecSubscribeWithoutReceiveGetsNothing(t *testing.T) {
	s, _ := startService(t)
	setupSample(t, s)
	tenant2 := mustDial(t, s, setupTenant2(t, s), "tenant2")
	require.Equal(t, byte(1), subscribe(t, tenant2, "tenant1/to/worker"))
	require.Equal(t, byte(1), subscribe(t, tenant2, "tenant2/to/worker"))
	require.NoError(t, s.Publish(context.Background(), "tenant1/to/worker", []byte(`{}`), 1))
	require.NoError(t, s.Publish(context.Background(), "tenant2/to/worker", []byte(`{"own":true}`), 1))
	require.Equal(t, "tenant2/to/worker", receive(t, tenant2).Topic)
}

func certOfThing(t *testing.T, s *Service, thing string) string {
	t.Helper()
	ps, err := s.reg.thingPrincipals(thing)
	require.NoError(t, err)
	require.Len(t, ps, 1)
	return ps[0]
}

// Reference §1.7 and §2.2: unknown, foreign or inactive certificates fail
// in TLS; a client id the policy does not allow gets CONNACK 0x87.
func TestSpecConnectRefusals(t *testing.T) {
	s, _ := startService(t)
	good := setupSample(t, s)

	_, ack, err := dial(t, s, good, "someone-else")
	require.Error(t, err)
	require.NotNil(t, ack)
	require.Equal(t, byte(0x87), ack.ReasonCode)

	tlsFailures := map[string]func() *tls.Config{
		"no client certificate": func() *tls.Config { return clientTLS(t, s, nil, nil) },
		"foreign CA":            func() *tls.Config { return foreignTLS(t, s) },
		"unregistered": func() *tls.Config {
			iss, err := s.ca.IssueClient("mqtt-container-client")
			require.NoError(t, err)
			return clientTLS(t, s, iss.CertPEM, iss.PrivateKeyPEM)
		},
	}
	for name, cfg := range tlsFailures {
		t.Run(name, func(t *testing.T) {
			_, ack, err := dial(t, s, cfg(), "mqtt-container-client")
			require.Error(t, err)
			require.Nil(t, ack)
		})
	}

	// The right certificate and client id connect.
	mustDial(t, s, good, "mqtt-container-client")
}

// Reference §2.2 [Doc UpdateCertificate]: leaving ACTIVE disconnects live
// connections, and the certificate can no longer connect.
func TestSpecDeactivatedCertificateIsDisconnected(t *testing.T) {
	s, _ := startService(t)
	cfg := setupSample(t, s)
	mc := mustDial(t, s, cfg, "mqtt-container-client")
	id := certIDFromARN(certOfThing(t, s, "mqtt-container-client"))
	require.NoError(t, s.UpdateCertificate(id, StatusInactive))
	select {
	case <-mc.down:
	case <-time.After(5 * time.Second):
		t.Fatal("connection not closed after deactivation")
	}
	_, _, err := dial(t, s, cfg, "mqtt-container-client")
	require.Error(t, err)

	require.NoError(t, s.UpdateCertificate(id, StatusActive))
	mustDial(t, s, cfg, "mqtt-container-client")
	require.NoError(t, s.UpdateCertificate(id, StatusRevoked))
	require.ErrorIs(t, s.UpdateCertificate(id, StatusActive), ErrCertificateState)
}

// Reference §1.7: an MQTT 3.1.1 client whose iot:Connect is denied sees
// the socket closed without a CONNACK; an allowed one gets CONNACK 0.
func TestSpecMQTT311Connect(t *testing.T) {
	s, _ := startService(t)
	cfg := setupSample(t, s)

	denied := rawDial(t, s, cfg)
	_, err := denied.Write(connect311("intruder"))
	require.NoError(t, err)
	_, err = io.ReadAll(denied)
	require.NoError(t, err) // clean close, zero bytes: no CONNACK
	buf := make([]byte, 1)
	n, _ := denied.Read(buf)
	require.Zero(t, n)

	ok := rawDial(t, s, cfg)
	_, err = ok.Write(connect311("mqtt-container-client"))
	require.NoError(t, err)
	ack := make([]byte, 4)
	_, err = io.ReadFull(ok, ack)
	require.NoError(t, err)
	require.Equal(t, []byte{0x20, 0x02, 0x00, 0x00}, ack)
}

// Reference §4.2: the rule SELECT * FROM 'tenant1/to/lambda' invokes the
// completion Lambda with the worker's payload; §4.3: a non-JSON payload
// does not reach a Lambda action.
func TestSpecRuleInvokesLambda(t *testing.T) {
	s, invoked := startService(t)
	worker := mustDial(t, s, setupSample(t, s), "mqtt-container-client")
	require.NoError(t, s.CreateTopicRule("Complete", TopicRule{SQL: "SELECT * FROM 'tenant1/to/lambda'",
		Actions: []Action{{LambdaFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:complete"}}}))
	require.ErrorIs(t, s.CreateTopicRule("Bad", TopicRule{SQL: "SELECT * FROM"}), ErrSQLParse)

	_, err := worker.Publish(ctxT(t), &paho.Publish{Topic: "tenant1/to/lambda", QoS: 1, Payload: []byte("not json")})
	require.NoError(t, err)
	result := []byte(`{"TaskToken":"tok-1","result":{"sum":3}}`)
	_, err = worker.Publish(ctxT(t), &paho.Publish{Topic: "tenant1/to/lambda", QoS: 1, Payload: result})
	require.NoError(t, err)
	inv := <-invoked
	require.Equal(t, "arn:aws:lambda:us-east-1:123456789012:function:complete", inv.function)
	require.Equal(t, result, inv.payload)
	select {
	case extra := <-invoked:
		t.Fatalf("unexpected invocation %s", extra.payload)
	default:
	}

	// Data-plane publishes reach rules too.
	require.NoError(t, s.Publish(context.Background(), "tenant1/to/lambda", []byte(`{"x":1}`), 0))
	require.JSONEq(t, `{"x":1}`, string((<-invoked).payload))
}

// Reference §1.2: a retained publish needs iot:RetainPublish besides
// iot:Publish; MQTT 5 QoS 1 gets PUBACK 0x87.
func TestSpecRetainPublishNeedsPermission(t *testing.T) {
	s, _ := startService(t)
	require.NoError(t, s.CreatePolicy("NoRetain", `{"Version":"2012-10-17","Statement":[
	 {"Effect":"Allow","Action":"iot:Connect","Resource":"*"},
	 {"Effect":"Allow","Action":"iot:Publish","Resource":"*"}]}`))
	require.NoError(t, s.CreateThing("dev", nil))
	certPEM, keyPEM, _, err := s.IssueCertificate("dev", "NoRetain")
	require.NoError(t, err)
	mc := mustDial(t, s, clientTLS(t, s, certPEM, keyPEM), "dev")
	resp, err := mc.Publish(ctxT(t), &paho.Publish{Topic: "dev/state", QoS: 1, Retain: true, Payload: []byte(`{}`)})
	require.Error(t, err)
	require.Equal(t, byte(0x87), resp.ReasonCode)
	_, err = mc.Publish(ctxT(t), &paho.Publish{Topic: "dev/state", QoS: 1, Payload: []byte(`{}`)})
	require.NoError(t, err)
}
