package iotemu

import (
	"context"
	"testing"

	"github.com/eclipse/paho.golang/paho"
	"github.com/stretchr/testify/require"
)

// docs/durability.md §4, docs/iot-core.md §3.2: a persistent session
// survives a restart of the emulator: the client reconnects with its old
// certificate, gets Session Present, keeps its subscriptions and receives
// the QoS 1 messages queued for it while it was offline, including those
// queued before the restart. A clean session is not kept.
func TestPersistentSessionSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	s, stop := startDurable(t, dir)
	cfg := setupThing(t, s, "dev", "")
	require.NoError(t, s.SaveRegistry())
	expiry := uint32(3600)
	persistent := &paho.Connect{ClientID: "dev", KeepAlive: 30, Properties: &paho.ConnectProperties{SessionExpiryInterval: &expiry}}

	mc, ack, err := dialWith(t, s, cfg, persistent)
	require.NoError(t, err)
	require.False(t, ack.SessionPresent)
	require.Equal(t, byte(1), subscribe(t, mc, "dev/jobs/+"))
	require.Equal(t, byte(1), subscribe(t, mc, "dev/gone"))
	_, err = mc.Unsubscribe(ctxT(t), &paho.Unsubscribe{Topics: []string{"dev/gone"}})
	require.NoError(t, err)
	require.NoError(t, mc.Disconnect(&paho.Disconnect{}))
	waitFor(t, func() bool { return s.isOffline("dev") }, "the session did not go offline")
	require.NoError(t, s.Publish(context.Background(), "dev/jobs/1", []byte(`{"job":1}`), 1))

	// A clean client's session is not kept.
	clean := mustDial(t, s, setupThing(t, s, "other", ""), "other")
	require.Equal(t, byte(1), subscribe(t, clean, "other/x"))
	require.NoError(t, s.SaveRegistry())
	stop()

	s2, _ := startDurable(t, dir)
	info, err := s2.GetConnection("dev", false)
	require.NoError(t, err)
	require.False(t, info.Connected)
	subs, _, err := s2.ListSubscriptions("dev", "", 0)
	require.NoError(t, err)
	require.Equal(t, []Subscription{{TopicFilter: "dev/jobs/+", QoS: 1}}, subs)
	_, err = s2.GetConnection("other", false)
	require.ErrorIs(t, err, ErrNotFound, "a clean session came back")

	require.NoError(t, s2.Publish(context.Background(), "dev/jobs/2", []byte(`{"job":2}`), 1))
	mc2, ack, err := dialWith(t, s2, cfg, persistent)
	require.NoError(t, err)
	require.True(t, ack.SessionPresent, "the session did not survive the restart")
	got := map[string]bool{}
	for range 2 {
		got[string(receive(t, mc2).Payload)] = true
	}
	require.Equal(t, map[string]bool{`{"job":1}`: true, `{"job":2}`: true}, got, "queued messages")
	require.NoError(t, s2.Publish(context.Background(), "dev/gone", []byte("x"), 1))
	require.NoError(t, s2.Publish(context.Background(), "dev/jobs/3", []byte(`{"job":3}`), 1))
	require.Equal(t, `{"job":3}`, string(receive(t, mc2).Payload), "an unsubscribed filter came back")
}

// A session ended by DeleteConnection with cleanSession, or expired, is
// gone from the store too.
func TestEndedSessionNotRestored(t *testing.T) {
	dir := t.TempDir()
	s, stop := startDurable(t, dir)
	cfg := setupThing(t, s, "dev", "")
	require.NoError(t, s.SaveRegistry())
	expiry := uint32(3600)
	mc, _, err := dialWith(t, s, cfg, &paho.Connect{ClientID: "dev", KeepAlive: 30,
		Properties: &paho.ConnectProperties{SessionExpiryInterval: &expiry}})
	require.NoError(t, err)
	require.Equal(t, byte(1), subscribe(t, mc, "dev/jobs/+"))
	require.NoError(t, s.DeleteConnection("dev", true, true))
	waitFor(t, func() bool { _, ok := s.broker.Clients.Get("dev"); return !ok }, "the session was not ended")
	stop()

	s2, _ := startDurable(t, dir)
	_, err = s2.GetConnection("dev", false)
	require.ErrorIs(t, err, ErrNotFound)
}
