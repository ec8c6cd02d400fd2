package iotemu

import (
	"context"
	"io"
	"net"
	"testing"
	"time"

	"github.com/eclipse/paho.golang/paho"
	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/internal/clock"
)

// sessionRig is a service on a fake clock with a thing "dev" and a
// watcher of dev's disconnected events: the event is published after the
// session hook has armed the expiry, so a test may move the clock then.
type sessionRig struct {
	t       *testing.T
	s       *Service
	clock   *clock.Fake
	dev     *tlsCfg
	watcher *mqttClient
}

func newSessionRig(t *testing.T, expiry time.Duration) *sessionRig {
	fake := clock.NewFake(time.Unix(1_700_000_000, 0))
	s := startServiceWith(t, func(c *Config) { c.Clock, c.PersistentSessionExpiry = fake, expiry })
	r := &sessionRig{t: t, s: s, clock: fake, dev: setupThing(t, s, "dev", "")}
	r.watcher = mustDial(t, s, setupThing(t, s, "watcher", ""), "watcher")
	require.Equal(t, byte(1), subscribe(t, r.watcher, "$aws/events/presence/disconnected/dev"))
	return r
}

// gone waits for dev's disconnected event.
func (r *sessionRig) gone() { receive(r.t, r.watcher) }

// connect311 connects dev over MQTT 3.1.1 with clean session 0 and
// reports Session Present.
func (r *sessionRig) connect311() (net.Conn, bool) {
	c := rawDial(r.t, r.s, r.dev)
	_, err := c.Write(connect311Flags("dev", 0))
	require.NoError(r.t, err)
	ack := make([]byte, 4)
	_, err = io.ReadFull(c, ack)
	require.NoError(r.t, err)
	require.Equal(r.t, []byte{0x20, 2}, ack[:2])
	require.Equal(r.t, byte(0), ack[3], "CONNACK return code")
	return c, ack[2] == 1
}

// leave311 sends DISCONNECT and waits until the broker has seen it.
func (r *sessionRig) leave311(c net.Conn) {
	_, err := c.Write([]byte{0xE0, 0})
	require.NoError(r.t, err)
	closedWithin(r.t, c)
	r.gone()
}

// Reference §3.2: an MQTT 3.1.1 persistent session lives for the account
// default, 1 hour (a Config field), not MQTT 5's 7-day maximum; until then
// it keeps its subscription and the QoS 1 messages published meanwhile.
func TestSpecMQTT311PersistentSessionExpiry(t *testing.T) {
	for _, tc := range []struct {
		name       string
		configured time.Duration
		expiry     time.Duration
	}{
		{"default 1 h", 0, time.Hour},
		{"configured 10 min", 10 * time.Minute, 10 * time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newSessionRig(t, tc.configured)
			c, present := r.connect311()
			require.False(t, present)
			_, err := c.Write(subscribe311(1, "dev/jobs"))
			require.NoError(t, err)
			suback := make([]byte, 5)
			_, err = io.ReadFull(c, suback)
			require.NoError(t, err)
			require.Equal(t, []byte{0x90, 3, 0, 1, 1}, suback)
			r.leave311(c)

			require.NoError(t, r.s.Publish(context.Background(), "dev/jobs", []byte(`{"job":1}`), 1))
			r.clock.Advance(tc.expiry - time.Second)
			c, present = r.connect311()
			require.True(t, present, "session kept just short of its expiry")
			pub := make([]byte, 2+2+len("dev/jobs")+2+len(`{"job":1}`))
			_, err = io.ReadFull(c, pub)
			require.NoError(t, err)
			require.Equal(t, byte(3), pub[0]>>4, "a PUBLISH")
			require.Equal(t, `{"job":1}`, string(pub[len(pub)-len(`{"job":1}`):]))
			_, err = c.Write([]byte{0x40, 2, pub[len(pub)-len(`{"job":1}`)-2], pub[len(pub)-len(`{"job":1}`)-1]})
			require.NoError(t, err)
			r.leave311(c)

			r.clock.Advance(tc.expiry)
			c, present = r.connect311()
			require.False(t, present, "session expired")
			r.leave311(c)
		})
	}
}

// Reference §3.2: an MQTT 5 session lives for the Session Expiry Interval
// the client asked for (beyond 3.1.1's 1 h default), clamped to 7 days and
// the clamped value returned in CONNACK.
func TestSpecMQTT5SessionExpiryClampedToSevenDays(t *testing.T) {
	for _, tc := range []struct {
		name      string
		requested uint32
		lives     time.Duration
	}{
		{"2 h", 2 * 3600, 2 * time.Hour},
		{"30 days", 30 * 24 * 3600, 7 * 24 * time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newSessionRig(t, 0)
			requested := tc.requested
			connect := &paho.Connect{ClientID: "dev", KeepAlive: 30, Properties: &paho.ConnectProperties{SessionExpiryInterval: &requested}}
			dial := func() bool {
				mc, ack, err := dialWith(t, r.s, r.dev, connect)
				require.NoError(t, err)
				if requested > uint32(maxSessionExpiry/time.Second) {
					require.Equal(t, uint32(604800), *ack.Properties.SessionExpiryInterval)
				}
				require.NoError(t, mc.Disconnect(&paho.Disconnect{}))
				r.gone()
				return ack.SessionPresent
			}
			require.False(t, dial())
			r.clock.Advance(tc.lives - time.Second)
			require.True(t, dial(), "session kept just short of its expiry")
			r.clock.Advance(tc.lives)
			require.False(t, dial(), "session expired")
		})
	}
}

// Close disarms the offline sessions' expiry timers: an armed one would
// keep the closed service, and everything its callbacks reference, alive
// until the session expires.
func TestCloseStopsSessionTimers(t *testing.T) {
	fake := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	s := startServiceWith(t, func(c *Config) { c.Clock = fake })
	expiry := uint32(3600)
	mc, _, err := dialWith(t, s, setupThing(t, s, "dev", ""), &paho.Connect{ClientID: "dev", KeepAlive: 30,
		Properties: &paho.ConnectProperties{SessionExpiryInterval: &expiry}})
	require.NoError(t, err)
	require.NoError(t, mc.Disconnect(&paho.Disconnect{}))
	waitFor(t, func() bool { return s.isOffline("dev") }, "the session did not go offline")
	waitFor(t, func() bool { s.sessions.mu.Lock(); defer s.sessions.mu.Unlock(); return len(s.sessions.offline) == 1 },
		"the session's expiry was not armed")
	armed := fake.Pending()
	require.NoError(t, s.Close())
	require.Equal(t, armed-1, fake.Pending(), "the expiry timer outlived the service")
}
