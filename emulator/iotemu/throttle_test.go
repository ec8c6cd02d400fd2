package iotemu

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/eclipse/paho.golang/paho"
	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/internal/clock"
)

func TestTokenBucket(t *testing.T) {
	start := time.Unix(1_700_000_000, 0)
	r := &connRate{publishes: newTokenBucket(100, 100), bytes: newTokenBucket(1000, 1000)}
	for i := range 100 {
		require.True(t, r.allow(start, 1), "publish %d within the burst", i)
	}
	require.False(t, r.allow(start, 1), "101st in the same instant")
	require.False(t, r.allow(start.Add(9*time.Millisecond), 1), "0.9 token")
	require.True(t, r.allow(start.Add(10*time.Millisecond), 1), "one token after 10 ms")
	require.False(t, r.allow(start.Add(time.Millisecond), 1), "time going back earns nothing")

	// Bytes: a publish too big for the bucket's content takes nothing.
	r = &connRate{publishes: newTokenBucket(100, 100), bytes: newTokenBucket(1000, 1000)}
	require.True(t, r.allow(start, 800))
	require.False(t, r.allow(start, 300))
	require.Equal(t, int64(99e9), r.publishes.nanoTokens, "a refused publish takes no publish token")
	require.True(t, r.allow(start.Add(100*time.Millisecond), 300))
	// Ten idle seconds refill only up to the burst.
	require.True(t, r.allow(start.Add(10*time.Second), 1000))
	require.False(t, r.allow(start.Add(10*time.Second), 1))
}

// Reference §3.9, §1.7: with Config.Throttle a connection may publish 100
// messages a second and 512 KiB a second; the excess is discarded and an
// MQTT 5 QoS 1 publisher gets PUBACK 0x97. Time is the fake clock's.
func TestSpecPerConnectionThrottle(t *testing.T) {
	fake := clock.NewFake(time.Unix(1_700_000_000, 0))
	s := startServiceWith(t, func(c *Config) { c.Clock, c.Throttle = fake, true })
	dev := mustDial(t, s, setupThing(t, s, "dev", ""), "dev")
	sub := mustDial(t, s, setupThing(t, s, "sub", ""), "sub")
	require.Equal(t, byte(1), subscribe(t, sub, "dev/out"))
	publish := func(payload []byte) byte {
		t.Helper()
		resp, _ := dev.Publish(ctxT(t), &paho.Publish{Topic: "dev/out", QoS: 1, Payload: payload})
		require.NotNil(t, resp)
		return resp.ReasonCode
	}

	for i := range 100 {
		require.Equal(t, byte(0), publish(fmt.Appendf(nil, `{"n":%d}`, i)))
	}
	require.Equal(t, byte(0x97), publish([]byte(`{"n":"over"}`)))
	fake.Advance(10 * time.Millisecond)
	require.Equal(t, byte(0), publish([]byte(`{"n":"later"}`)))
	for i := range 100 {
		require.Equal(t, fmt.Sprintf(`{"n":%d}`, i), string(receive(t, sub).Payload))
	}
	require.Equal(t, `{"n":"later"}`, string(receive(t, sub).Payload), "the throttled publish was discarded")

	// 512 KiB a second: four 128 KiB payloads fill the second.
	fake.Advance(time.Second)
	big := bytes.Repeat([]byte("x"), maxPayload-len("dev/out"))
	for range 4 {
		require.Equal(t, byte(0), publish(big))
	}
	require.Equal(t, byte(0x97), publish(big))
	fake.Advance(250 * time.Millisecond)
	require.Equal(t, byte(0), publish(big))

	// The data plane (IAM-authorized, no connection) is not throttled.
	for range 150 {
		require.NoError(t, s.Publish(context.Background(), "dev/api", []byte(`{}`), 0))
	}
}
