package iotemu

import (
	"context"
	"testing"

	"github.com/eclipse/paho.golang/paho"
	"github.com/stretchr/testify/require"
)

// Reference §3.1: `#` matches the levels below its parent but not the
// parent itself (`a/#` gets `a/` and `a/x`, not `a`), for plain and shared
// subscriptions; a client matched by several filters gets one copy at the
// highest QoS among the filters that do match. Reference §3.7: a shared
// subscription on `#` gets no `$` topics.
func TestSpecHashDoesNotMatchParent(t *testing.T) {
	s, _ := startService(t)
	dialThing := func(name string) *mqttClient {
		return mustDial(t, s, setupThing(t, s, name, ""), name)
	}
	everything := dialThing("everything")
	require.Equal(t, byte(1), subscribe(t, everything, "$share/all/#"))
	below := dialThing("below")
	require.Equal(t, byte(1), subscribe(t, below, "a/#"))
	shared := dialThing("shared")
	require.Equal(t, byte(1), subscribe(t, shared, "$share/g/a/#"))
	mixed := dialThing("mixed")
	_, err := mixed.Subscribe(ctxT(t), &paho.Subscribe{Subscriptions: []paho.SubscribeOptions{{Topic: "a", QoS: 0}, {Topic: "a/#", QoS: 1}}})
	require.NoError(t, err)
	twice := dialThing("twice")
	require.Equal(t, byte(1), subscribe(t, twice, "a/#"))
	require.Equal(t, byte(1), subscribe(t, twice, "#"))

	for _, topic := range []string{"a", "a/", "a/x"} {
		require.NoError(t, s.Publish(context.Background(), topic, []byte(`{}`), 1))
	}
	got := func(mc *mqttClient, n int) []string {
		var topics []string
		for range n {
			p := receive(t, mc)
			topics = append(topics, p.Topic)
			if mc == mixed && p.Topic == "a" {
				require.Equal(t, byte(0), p.QoS, "`a` matches only the QoS 0 filter")
			}
		}
		return topics
	}
	// Each subscriber's deliveries come in publish order, so the first n
	// show whether `a` was delivered where it must not be.
	require.Equal(t, []string{"a", "a/", "a/x"}, got(everything, 3), "no $aws lifecycle events")
	require.Equal(t, []string{"a/", "a/x"}, got(below, 2))
	require.Equal(t, []string{"a/", "a/x"}, got(shared, 2))
	require.Equal(t, []string{"a", "a/", "a/x"}, got(mixed, 3))
	require.Equal(t, []string{"a", "a/", "a/x"}, got(twice, 3), "one copy per message")
}
