package iotemu

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/eclipse/paho.golang/paho"
	"github.com/stretchr/testify/require"
)

// docs/iot-core.md §8.6: a Last Will fires the rules whose FROM matches its
// topic, with the client's id and principal; a clean DISCONNECT sends no
// will and fires nothing.
func TestSpecRulesFireOnLastWill(t *testing.T) {
	s, invoked := startService(t)
	require.NoError(t, s.CreateTopicRule("Gone", TopicRule{SQL: "SELECT *, clientid() AS c, topic() AS t FROM 'dev/#'",
		Actions: []Action{{LambdaFunctionArn: "gone"}}}))
	devTLS := setupThing(t, s, "dev", "")
	watcher := mustDial(t, s, setupThing(t, s, "watcher", ""), "watcher")
	require.Equal(t, byte(1), subscribe(t, watcher, "$aws/events/presence/disconnected/dev"))
	connect := &paho.Connect{ClientID: "dev", KeepAlive: 30, CleanStart: true,
		WillMessage: &paho.WillMessage{Topic: "dev/will", QoS: 1, Payload: []byte(`{"gone":true}`)}}

	_, _, err := dialWith(t, s, devTLS, connect)
	require.NoError(t, err)
	require.NoError(t, s.DeleteConnection("dev", false, false))
	inv := <-invoked
	require.Equal(t, "gone", inv.function)
	var got map[string]any
	require.NoError(t, json.Unmarshal(inv.payload, &got))
	require.Equal(t, map[string]any{"gone": true, "c": "dev", "t": "dev/will"}, got)

	mc, _, err := dialWith(t, s, devTLS, connect)
	require.NoError(t, err)
	require.NoError(t, mc.Disconnect(&paho.Disconnect{}))
	receive(t, watcher) // the first connection's event
	receive(t, watcher) // this one's: the server is done with it
	require.NoError(t, s.Publish(context.Background(), "dev/marker", []byte(`{"m":1}`), 1))
	require.Equal(t, "dev/marker", topicOf(t, <-invoked), "a clean disconnect sent no will")
}

func topicOf(t *testing.T, inv invocation) string {
	t.Helper()
	var got map[string]any
	require.NoError(t, json.Unmarshal(inv.payload, &got))
	return got["t"].(string)
}
