package iotemu

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/eclipse/paho.golang/paho"
	"github.com/stretchr/testify/require"
)

// openPolicy lets a thing do anything with its own name as client id.
const openPolicy = `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"iot:Connect","Resource":"arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}"},
 {"Effect":"Allow","Action":["iot:Publish","iot:RetainPublish","iot:Subscribe","iot:Receive"],"Resource":"*"}]}`

// setupThing creates a thing with openPolicy (or doc) and returns its TLS
// configuration.
func setupThing(t *testing.T, s *Service, name, doc string) *tlsCfg {
	t.Helper()
	if doc == "" {
		doc = openPolicy
	}
	require.NoError(t, s.CreatePolicy("p-"+name, doc))
	require.NoError(t, s.CreateThing(name, nil))
	certPEM, keyPEM, _, err := s.IssueCertificate(name, "p-"+name)
	require.NoError(t, err)
	return clientTLS(t, s, certPEM, keyPEM)
}

func waitDown(t *testing.T, mc *mqttClient) {
	t.Helper()
	select {
	case <-mc.down:
	case <-time.After(5 * time.Second):
		t.Fatal("connection stayed up")
	}
}

// closedWithin reads until the server closes a raw connection and returns
// what it sent.
func closedWithin(t *testing.T, conn io.Reader) []byte {
	t.Helper()
	b, _ := io.ReadAll(conn)
	return b
}

// Reference §1.7: MQTT 3.1.1 clients refused a SUBSCRIBE or a PUBLISH
// (QoS 0 too) are disconnected, with no SUBACK.
func TestSpecMQTT311DenialsDisconnect(t *testing.T) {
	s, _ := startService(t)
	cfg := setupSample(t, s)
	connect := func() io.ReadWriter {
		c := rawDial(t, s, cfg)
		_, err := c.Write(connect311("mqtt-container-client"))
		require.NoError(t, err)
		ack := make([]byte, 4)
		_, err = io.ReadFull(c, ack)
		require.NoError(t, err)
		require.Equal(t, []byte{0x20, 2, 0, 0}, ack)
		return c
	}
	c := connect()
	_, err := c.Write(subscribe311(1, "tenant2/to/worker"))
	require.NoError(t, err)
	require.Empty(t, closedWithin(t, c), "no SUBACK before the close")

	c = connect()
	_, err = c.Write(publish311("tenant2/to/lambda", `{}`))
	require.NoError(t, err)
	require.Empty(t, closedWithin(t, c))

	// Allowed traffic keeps the connection.
	c = connect()
	_, err = c.Write(subscribe311(2, "tenant1/to/worker"))
	require.NoError(t, err)
	ack := make([]byte, 5)
	_, err = io.ReadFull(c, ack)
	require.NoError(t, err)
	require.Equal(t, []byte{0x90, 3, 0, 2, 1}, ack)
}

func subscribe311(id uint16, filter string) []byte {
	body := []byte{byte(id >> 8), byte(id), byte(len(filter) >> 8), byte(len(filter))}
	body = append(append(body, filter...), 1)
	return append([]byte{0x82, byte(len(body))}, body...)
}

func publish311(topic, payload string) []byte {
	body := append([]byte{byte(len(topic) >> 8), byte(len(topic))}, topic...)
	body = append(body, payload...)
	return append([]byte{0x30, byte(len(body))}, body...)
}

// Reference §3.1, §3.7, §3.9: QoS 2, oversized payloads, long or deep
// topics and reserved topics are refused the way IoT Core refuses them.
func TestSpecMQTTLimits(t *testing.T) {
	s, _ := startService(t)
	cfg := setupThing(t, s, "dev", "")
	cases := []struct {
		name string
		pub  *paho.Publish
		code byte
	}{
		{"payload over 128 KiB", &paho.Publish{Topic: "dev/x", QoS: 1, Payload: make([]byte, 128*1024+1)}, 0x95},
		{"topic over 256 bytes", &paho.Publish{Topic: strings.Repeat("a", 257), QoS: 1, Payload: []byte("x")}, 0x90},
		{"8 slashes", &paho.Publish{Topic: "a/b/c/d/e/f/g/h/i", QoS: 1, Payload: []byte("x")}, 0x90},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mc := mustDial(t, s, cfg, "dev")
			var got byte
			mc.onDisconnect = func(d *paho.Disconnect) { got = d.ReasonCode }
			ctx := ctxT(t)
			go func() { _, _ = mc.Publish(ctx, tc.pub) }() // no PUBACK comes
			waitDown(t, mc)
			require.Equal(t, tc.code, got)
		})
	}
	mc := mustDial(t, s, cfg, "dev")
	// 128 KiB exactly and 7 slashes are fine.
	_, err := mc.Publish(ctxT(t), &paho.Publish{Topic: "a/b/c/d/e/f/g/h", QoS: 1, Payload: make([]byte, 128*1024)})
	require.NoError(t, err)
	// Reserved topics: no publishing to $aws (other than shadows, jobs,
	// Basic Ingest) or $SYS; no subscribing to $SYS.
	resp, err := mc.Publish(ctxT(t), &paho.Publish{Topic: "$aws/events/presence/connected/x", QoS: 1, Payload: []byte("{}")})
	require.Error(t, err)
	require.Equal(t, byte(0x87), resp.ReasonCode)
	require.Equal(t, byte(0x8F), subscribe(t, mc, "$SYS/#"))
	require.Equal(t, byte(0x8F), subscribe(t, mc, "a/b/c/d/e/f/g/h/#"))
	require.Equal(t, byte(1), subscribe(t, mc, "$share/g/a/b/c/d/e/f/g/h"))
	require.Equal(t, byte(1), subscribe(t, mc, "$aws/events/presence/connected/+"))

	// QoS 2 (paho will not send it, as CONNACK says Maximum QoS 1): a
	// 3.1.1 client sending it is disconnected.
	raw := rawDial(t, s, cfg)
	_, err = raw.Write(connect311("dev"))
	require.NoError(t, err)
	ack311 := make([]byte, 4)
	_, err = io.ReadFull(raw, ack311)
	require.NoError(t, err)
	qos2 := publish311("dev/x", "x")
	qos2[0] = 0x34
	qos2 = append(qos2[:2+2+len("dev/x")], append([]byte{0, 1}, qos2[2+2+len("dev/x"):]...)...)
	qos2[1] += 2
	_, err = raw.Write(qos2)
	require.NoError(t, err)
	require.Empty(t, closedWithin(t, raw))

	// Client ids over 128 bytes: CONNACK 0x85.
	_, ack, err := dial(t, s, cfg, strings.Repeat("d", 129))
	require.Error(t, err)
	require.Equal(t, byte(0x85), ack.ReasonCode)
}

// Reference §3.6: keep-alive is clamped to 30..1200 s and returned as
// Server Keep Alive.
func TestSpecKeepAliveClamp(t *testing.T) {
	s, _ := startService(t)
	cfg := setupThing(t, s, "dev", "")
	for ka, want := range map[uint16]uint16{5: 30, 0: 1200, 3000: 1200} {
		_, ack, err := dialWith(t, s, cfg, &paho.Connect{ClientID: "dev", KeepAlive: ka, CleanStart: true})
		require.NoError(t, err)
		require.NotNil(t, ack.Properties.ServerKeepAlive, "keep-alive %d", ka)
		require.Equal(t, want, *ack.Properties.ServerKeepAlive)
	}
}

// Reference §2.4: a second connection with the same client id takes over;
// the first gets DISCONNECT 0x8E and a DUPLICATE_CLIENTID lifecycle event.
func TestSpecClientTakeover(t *testing.T) {
	s, _ := startService(t)
	cfg := setupThing(t, s, "dev", "")
	watcher := mustDial(t, s, setupThing(t, s, "watcher", ""), "watcher")
	require.Equal(t, byte(1), subscribe(t, watcher, "$aws/events/presence/disconnected/dev"))

	first := mustDial(t, s, cfg, "dev")
	var code byte
	first.onDisconnect = func(d *paho.Disconnect) { code = d.ReasonCode }
	mustDial(t, s, cfg, "dev")
	waitDown(t, first)
	require.Equal(t, byte(0x8E), code)
	var ev map[string]any
	require.NoError(t, json.Unmarshal(receive(t, watcher).Payload, &ev))
	require.Equal(t, "DUPLICATE_CLIENTID", ev["disconnectReason"])
	require.Equal(t, false, ev["clientInitiatedDisconnect"])
}

// Reference §3.2: a persistent session keeps QoS 1 messages published
// while the worker is offline and delivers them when it comes back.
func TestSpecPersistentSessionQueuesQoS1(t *testing.T) {
	s, _ := startService(t)
	cfg := setupThing(t, s, "dev", "")
	expiry := uint32(7 * 24 * 3600)
	connect := &paho.Connect{ClientID: "dev", KeepAlive: 30, CleanStart: false, Properties: &paho.ConnectProperties{SessionExpiryInterval: &expiry}}
	mc, _, err := dialWith(t, s, cfg, connect)
	require.NoError(t, err)
	require.Equal(t, byte(1), subscribe(t, mc, "dev/jobs"))
	require.NoError(t, mc.Disconnect(&paho.Disconnect{}))

	require.NoError(t, s.Publish(context.Background(), "dev/jobs", []byte(`{"job":1}`), 1))
	require.NoError(t, s.Publish(context.Background(), "dev/jobs", []byte(`{"job":0}`), 0))

	back, ack, err := dialWith(t, s, cfg, connect)
	require.NoError(t, err)
	require.True(t, ack.SessionPresent)
	require.Equal(t, `{"job":1}`, string(receive(t, back).Payload))
	// The QoS 0 message was not kept.
	require.NoError(t, s.Publish(context.Background(), "dev/jobs", []byte(`{"job":2}`), 1))
	require.Equal(t, `{"job":2}`, string(receive(t, back).Payload))
}

// Reference §3.3: a retained message goes to a new subscription whose
// filter is the topic itself, not to wildcard or shared subscriptions.
func TestSpecRetainedExactFilterOnly(t *testing.T) {
	s, _ := startService(t)
	cfg := setupThing(t, s, "dev", "")
	mc := mustDial(t, s, cfg, "dev")
	_, err := mc.Publish(ctxT(t), &paho.Publish{Topic: "dev/state", QoS: 1, Retain: true, Payload: []byte(`{"on":true}`)})
	require.NoError(t, err)
	require.Equal(t, byte(1), subscribe(t, mc, "dev/+"))
	require.Equal(t, byte(1), subscribe(t, mc, "$share/g/dev/state"))
	require.Equal(t, byte(1), subscribe(t, mc, "dev/state"))
	got := receive(t, mc)
	require.Equal(t, "dev/state", got.Topic)
	require.True(t, got.Retain)
	// A sentinel published after the subscriptions is the next delivery:
	// no retained copy came through dev/+ or $share/g/dev/state before it.
	require.NoError(t, s.Publish(context.Background(), "dev/sentinel", []byte("sentinel"), 1))
	next := receive(t, mc)
	require.Equal(t, "dev/sentinel", next.Topic, "unexpected delivery on %s", next.Topic)
}

// Reference §3.5: members of a shared subscription group share the
// messages; each message goes to one member.
func TestSpecSharedSubscription(t *testing.T) {
	s, _ := startService(t)
	cfg := setupThing(t, s, "w1", "")
	cfg2 := setupThing(t, s, "w2", "")
	w1, w2 := mustDial(t, s, cfg, "w1"), mustDial(t, s, cfg2, "w2")
	require.Equal(t, byte(1), subscribe(t, w1, "$share/workers/jobs/+"))
	require.Equal(t, byte(1), subscribe(t, w2, "$share/workers/jobs/+"))
	const n = 40
	for i := 0; i < n; i++ {
		require.NoError(t, s.Publish(context.Background(), "jobs/a", []byte(`{}`), 1))
	}
	got := map[string]int{}
	deadline := time.After(5 * time.Second)
	for got["w1"]+got["w2"] < n {
		select {
		case <-w1.received:
			got["w1"]++
		case <-w2.received:
			got["w2"]++
		case <-deadline:
			t.Fatalf("received %v of %d", got, n)
		}
	}
	require.Equal(t, n, got["w1"]+got["w2"])
}

// Reference §3.8: lifecycle events carry IoT Core's fields, reach
// subscribers the policy allows, and reach rules.
func TestSpecLifecycleEvents(t *testing.T) {
	s, invoked := startService(t)
	require.NoError(t, s.CreateTopicRule("Presence", TopicRule{SQL: "SELECT clientId, eventType FROM '$aws/events/presence/+/+'",
		Actions: []Action{{LambdaFunctionArn: "presence"}}}))
	watcher := mustDial(t, s, setupThing(t, s, "watcher", ""), "watcher")
	require.Equal(t, byte(1), subscribe(t, watcher, "$aws/events/presence/+/dev"))
	require.Equal(t, byte(1), subscribe(t, watcher, "$aws/events/subscriptions/+/dev"))
	<-invoked // the watcher's own connected event reached the rule

	dev := mustDial(t, s, setupThing(t, s, "dev", ""), "dev")
	var connected map[string]any
	require.NoError(t, json.Unmarshal(receive(t, watcher).Payload, &connected))
	require.Equal(t, "connected", connected["eventType"])
	require.Equal(t, "dev", connected["clientId"])
	require.Equal(t, "127.0.0.1", connected["ipAddress"])
	require.Len(t, connected["principalIdentifier"], 64)
	require.NotEmpty(t, connected["sessionIdentifier"])
	require.NotZero(t, connected["timestamp"])
	require.JSONEq(t, `{"clientId":"dev","eventType":"connected"}`, string((<-invoked).payload))

	require.Equal(t, byte(1), subscribe(t, dev, "dev/a"))
	var sub map[string]any
	require.NoError(t, json.Unmarshal(receive(t, watcher).Payload, &sub))
	require.Equal(t, "subscribed", sub["eventType"])
	require.Equal(t, []any{"dev/a"}, sub["topics"])

	require.NoError(t, dev.Disconnect(&paho.Disconnect{}))
	var gone map[string]any
	require.NoError(t, json.Unmarshal(receive(t, watcher).Payload, &gone))
	require.Equal(t, "disconnected", gone["eventType"])
	require.Equal(t, "CLIENT_INITIATED_DISCONNECT", gone["disconnectReason"])
	require.Equal(t, true, gone["clientInitiatedDisconnect"])
	require.Equal(t, connected["versionNumber"], gone["versionNumber"])
	require.Equal(t, connected["sessionIdentifier"], gone["sessionIdentifier"])

	// A client without iot:Subscribe on $aws/events gets 0x87.
	tenant := mustDial(t, s, setupTenant2(t, s), "tenant2")
	require.NoError(t, s.CreatePolicy("NoEvents", `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"iot:Subscribe","Resource":"arn:aws:iot:*:*:topicfilter/$aws/*"}}`))
	require.NoError(t, s.AttachPolicy("NoEvents", certOfThing(t, s, "tenant2")))
	require.Equal(t, byte(0x87), subscribe(t, tenant, "$aws/events/presence/connected/+"))
}

// Reference §3.5: a shared subscription's message goes to a connected
// member, never into the session of a member that is offline while another
// is online; with every member offline, it waits in a member's session.
func TestSpecSharedSubscriptionPrefersConnectedMembers(t *testing.T) {
	s, _ := startService(t)
	expiry := uint32(3600)
	connect := func(id string) *paho.Connect {
		return &paho.Connect{ClientID: id, KeepAlive: 30, Properties: &paho.ConnectProperties{SessionExpiryInterval: &expiry}}
	}
	cfgGone, cfgUp := setupThing(t, s, "gone", ""), setupThing(t, s, "up", "")
	gone, _, err := dialWith(t, s, cfgGone, connect("gone"))
	require.NoError(t, err)
	up, _, err := dialWith(t, s, cfgUp, connect("up"))
	require.NoError(t, err)
	require.Equal(t, byte(1), subscribe(t, gone, "$share/workers/jobs"))
	require.Equal(t, byte(1), subscribe(t, up, "$share/workers/jobs"))
	require.NoError(t, gone.Disconnect(&paho.Disconnect{}))
	waitOffline(t, s, "gone")
	const n = 20
	for i := 0; i < n; i++ {
		require.NoError(t, s.Publish(context.Background(), "jobs", []byte(`{}`), 1))
	}
	for i := 0; i < n; i++ {
		receive(t, up)
	}
	require.NoError(t, up.Disconnect(&paho.Disconnect{}))
	waitOffline(t, s, "up")
	require.NoError(t, s.Publish(context.Background(), "jobs", []byte(`{"queued":true}`), 1))
	back, ack, err := dialWith(t, s, cfgGone, connect("gone"))
	require.NoError(t, err)
	require.True(t, ack.SessionPresent)
	back2, _, err := dialWith(t, s, cfgUp, connect("up"))
	require.NoError(t, err)
	select {
	case m := <-back.received:
		require.Equal(t, `{"queued":true}`, string(m.Payload))
	case m := <-back2.received:
		require.Equal(t, `{"queued":true}`, string(m.Payload))
	case <-time.After(5 * time.Second):
		t.Fatal("the message queued while every member was offline was not delivered")
	}
}

// waitOffline waits until the broker has seen the client with id go,
// keeping its session.
func waitOffline(t *testing.T, s *Service, id string) {
	t.Helper()
	require.Eventually(t, func() bool {
		cl, ok := s.broker.Clients.Get(id)
		return ok && cl.Closed()
	}, 5*time.Second, time.Millisecond, "%s still connected", id)
}
