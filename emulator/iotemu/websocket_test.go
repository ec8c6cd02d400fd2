package iotemu

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/eclipse/paho.golang/paho"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/internal/clock"
	"github.com/stepwire/stepwire/internal/wsconn"
)

// wsEndpoint serves s's HTTP API as the emulator's AWS endpoint does
// (without signature checks) and returns its MQTT over WebSocket URL.
func wsEndpoint(t *testing.T, s *Service) string {
	t.Helper()
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return "ws://" + srv.Listener.Addr().String() + WebSocketPath
}

// dialWS opens an MQTT 5 connection over WebSocket.
func dialWS(t *testing.T, url, clientID string) (*mqttClient, *paho.Connack, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ws, resp, err := (&websocket.Dialer{Subprotocols: []string{"mqtt"}}).DialContext(ctx, url, nil)
	if err != nil {
		if resp != nil {
			return nil, nil, fmt.Errorf("upgrade: HTTP %d: %w", resp.StatusCode, err)
		}
		return nil, nil, err
	}
	require.Equal(t, "mqtt", ws.Subprotocol())
	return connectOn(ctx, t, wsconn.New(ws), &paho.Connect{ClientID: clientID, KeepAlive: 30, CleanStart: true})
}

func mustDialWS(t *testing.T, url, clientID string) *mqttClient {
	t.Helper()
	mc, _, err := dialWS(t, url, clientID)
	require.NoError(t, err)
	return mc
}

// docs/iot-core.md §7: a WebSocket client and an mTLS client share one
// broker; messages flow both ways and from the data-plane Publish.
func TestWebSocketRoundTrip(t *testing.T) {
	s, _ := startService(t)
	url := wsEndpoint(t, s)
	dev := mustDial(t, s, setupThing(t, s, "dev", ""), "dev")
	ws := mustDialWS(t, url, "progress-1")

	require.Equal(t, byte(1), subscribe(t, ws, "dev/progress/+"))
	_, err := dev.Publish(ctxT(t), &paho.Publish{Topic: "dev/progress/a", QoS: 1, Payload: []byte(`{"pct":50}`)})
	require.NoError(t, err)
	got := receive(t, ws)
	require.Equal(t, "dev/progress/a", got.Topic)
	require.Equal(t, `{"pct":50}`, string(got.Payload))

	require.NoError(t, s.Publish(context.Background(), "dev/progress/b", []byte(`{"pct":100}`), 1))
	require.Equal(t, `{"pct":100}`, string(receive(t, ws).Payload))

	require.Equal(t, byte(1), subscribe(t, dev, "dev/cmd"))
	_, err = ws.Publish(ctxT(t), &paho.Publish{Topic: "dev/cmd", QoS: 1, Payload: []byte("stop")})
	require.NoError(t, err)
	require.Equal(t, "stop", string(receive(t, dev).Payload))

	// A payload near IoT Core's 128 KiB limit crosses in several frames.
	big := strings.Repeat("x", maxPayload-100)
	require.NoError(t, s.Publish(context.Background(), "dev/progress/c", []byte(big), 1))
	require.Equal(t, big, string(receive(t, ws).Payload))
}

// docs/iot-core.md §3.3, §7.3: retained messages behave on WebSocket as on
// TLS: delivered to a new subscription whose filter is the topic itself,
// not to wildcard or shared ones.
func TestWebSocketRetainedLikeTLS(t *testing.T) {
	s, _ := startService(t)
	url := wsEndpoint(t, s)
	cfg := setupThing(t, s, "dev", "")
	for _, transport := range []string{"tls", "ws"} {
		t.Run(transport, func(t *testing.T) {
			var mc *mqttClient
			if transport == "tls" {
				mc = mustDial(t, s, cfg, "dev")
			} else {
				mc = mustDialWS(t, url, "watcher")
			}
			topic := "dev/state/" + transport
			require.NoError(t, s.publish(context.Background(), topic, []byte(`{"on":true}`), 1, true))
			require.Equal(t, byte(1), subscribe(t, mc, "dev/state/+"))
			require.Equal(t, byte(1), subscribe(t, mc, "$share/g/"+topic))
			require.Equal(t, byte(1), subscribe(t, mc, topic))
			got := receive(t, mc)
			require.Equal(t, topic, got.Topic)
			require.True(t, got.Retain)
			require.NoError(t, s.Publish(context.Background(), "dev/sentinel", []byte("sentinel"), 1))
			require.Equal(t, byte(1), subscribe(t, mc, "dev/sentinel"))
			require.NoError(t, s.Publish(context.Background(), "dev/sentinel", []byte("sentinel"), 1))
			next := receive(t, mc)
			require.Equal(t, "dev/sentinel", next.Topic, "unexpected delivery on %s", next.Topic)
		})
	}
}

// docs/iot-core.md §7.3: IAM may do anything an IoT policy could allow,
// but the rules for every client still hold: reserved topics, client ids.
func TestWebSocketRulesForEveryone(t *testing.T) {
	s, _ := startService(t)
	url := wsEndpoint(t, s)
	mc := mustDialWS(t, url, "ops")
	_, err := mc.Publish(ctxT(t), &paho.Publish{Topic: "$aws/bogus", QoS: 1, Payload: []byte("x")})
	require.Error(t, err, "a publish to an undocumented $aws topic was accepted")

	_, ack, err := dialWS(t, url, strings.Repeat("c", maxClientIDBytes+1))
	require.Error(t, err, "a client id over 128 bytes connected")
	if ack != nil {
		require.GreaterOrEqual(t, ack.ReasonCode, byte(0x80))
	}
}

// docs/iot-core.md §3.8, §7.3: lifecycle events name the signer's access
// key id as principalIdentifier.
func TestWebSocketLifecyclePrincipal(t *testing.T) {
	s, _ := startService(t)
	url := wsEndpoint(t, s)
	watch := mustDialWS(t, url, "watch")
	require.Equal(t, byte(1), subscribe(t, watch, "$aws/events/presence/connected/+"))
	mustDialWS(t, url+"?X-Amz-Credential=AKIDWATCHED%2F20260101%2Fus-east-1%2Fiotdevicegateway%2Faws4_request", "signed")
	var ev map[string]any
	require.NoError(t, json.Unmarshal(receive(t, watch).Payload, &ev))
	require.Equal(t, "signed", ev["clientId"])
	require.Equal(t, "AKIDWATCHED", ev["principalIdentifier"])
}

// docs/iot-core.md §3.9, §7.3: WebSocket connections count in the
// broker's one connection cap, with the TLS listener's.
func TestWebSocketConnectionCap(t *testing.T) {
	const max = 3
	s := startServiceWith(t, func(c *Config) { c.MaxConnections = max })
	url := wsEndpoint(t, s)
	holdIdle(t, s, "tcp", max-1, nil)
	waitFor(t, func() bool { return s.listener.conns.len() == max-1 }, "the broker did not count the held sockets")
	mustDialWS(t, url, "last")
	require.Equal(t, max, s.listener.conns.len())
	_, _, err := dialWS(t, url, "over")
	require.ErrorContains(t, err, "HTTP 503")
	require.Equal(t, max, s.listener.conns.len())
}

// docs/iot-core.md §7.3: an upgraded connection that sends no CONNECT is
// closed after ConnectTimeout, as on TLS.
func TestWebSocketConnectDeadline(t *testing.T) {
	s := startServiceWith(t, func(c *Config) { c.ConnectTimeout = 200 * time.Millisecond })
	url := wsEndpoint(t, s)
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	require.NoError(t, err)
	defer ws.Close()
	require.NoError(t, ws.SetReadDeadline(time.Now().Add(10*time.Second)))
	began := time.Now()
	_, _, err = ws.ReadMessage()
	require.Error(t, err)
	require.GreaterOrEqual(t, time.Since(began), 150*time.Millisecond)
	require.Less(t, time.Since(began), 9*time.Second, "the idle connection was not closed")
	waitFor(t, func() bool { return s.listener.conns.len() == 0 }, "the idle WebSocket is still counted")
}

// Close ends WebSocket connections like TLS ones, and later upgrades are
// refused.
func TestWebSocketCloseEndsConnections(t *testing.T) {
	s, _ := startService(t)
	url := wsEndpoint(t, s)
	mc := mustDialWS(t, url, "short-lived")
	require.NoError(t, s.Close())
	waitDown(t, mc)
	require.Equal(t, 0, s.listener.conns.len())
	_, _, err := dialWS(t, url, "late")
	require.ErrorContains(t, err, "HTTP 503")
}

// docs/iot-core.md §3.9: IoT Core closes a WebSocket connection after 24
// hours: MQTT 5 DISCONNECT 0xA0, lifecycle reason WEBSOCKET_TTL_EXPIRATION.
func TestSpecWebSocketMaxDuration(t *testing.T) {
	fake := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	s := startServiceWith(t, func(c *Config) { c.Clock = fake })
	url := wsEndpoint(t, s)
	cfg := setupThing(t, s, "dev", "")
	watch := mustDial(t, s, cfg, "dev") // TLS: no duration limit
	require.Equal(t, byte(1), subscribe(t, watch, "$aws/events/presence/disconnected/+"))
	mc := mustDialWS(t, url, "long-lived")
	codes := make(chan byte, 1)
	mc.onDisconnect = func(d *paho.Disconnect) { codes <- d.ReasonCode }

	fake.Advance(WebSocketMaxDuration - time.Second)
	_, err := mc.Publish(ctxT(t), &paho.Publish{Topic: "dev/x", QoS: 1, Payload: []byte("still up")})
	require.NoError(t, err)
	fake.Advance(time.Second)
	select {
	case c := <-codes:
		require.Equal(t, byte(0xA0), c)
	case <-time.After(5 * time.Second):
		t.Fatal("no DISCONNECT after 24 h")
	}
	var ev map[string]any
	require.NoError(t, json.Unmarshal(receive(t, watch).Payload, &ev))
	require.Equal(t, "long-lived", ev["clientId"])
	require.Equal(t, "WEBSOCKET_TTL_EXPIRATION", ev["disconnectReason"])
}

// A request that is not a WebSocket upgrade gets HTTP 400, not MQTT.
func TestWebSocketPlainGet(t *testing.T) {
	s, _ := startService(t)
	url := strings.Replace(wsEndpoint(t, s), "ws://", "http://", 1)
	resp, err := http.Get(url)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
}
