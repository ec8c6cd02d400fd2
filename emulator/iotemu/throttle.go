package iotemu

import (
	"bytes"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
)

// IoT Core's per-connection publish rates (docs/iot-core.md §3.9).
const (
	maxPublishesPerSecond = 100
	maxBytesPerSecond     = 512 * 1024
)

// tokenBucket holds up to burst tokens and gains rate tokens per second
// of the clock passed to refill. It counts in billionths of a token, so
// that a token earned in 10 ms at 100/s is a whole token, not 0.99999.
type tokenBucket struct {
	rate, burst int64 // per second; tokens
	nanoTokens  int64
	last        time.Time
}

func newTokenBucket(rate, burst int64) *tokenBucket {
	return &tokenBucket{rate: rate, burst: burst, nanoTokens: burst * 1e9}
}

// refill adds the tokens earned since the last call.
func (b *tokenBucket) refill(now time.Time) {
	if !now.After(b.last) {
		return
	}
	if !b.last.IsZero() {
		// Past the time to fill the bucket, more time earns nothing; the
		// cap also keeps the product below overflow.
		elapsed := min(now.Sub(b.last), time.Duration(b.burst*int64(time.Second)/b.rate))
		b.nanoTokens = min(b.burst*1e9, b.nanoTokens+int64(elapsed)*b.rate)
	}
	b.last = now
}

// has reports whether n tokens are there.
func (b *tokenBucket) has(n int64) bool { return b.nanoTokens >= n*1e9 }

func (b *tokenBucket) take(n int64) { b.nanoTokens -= n * 1e9 }

// connRate is one connection's pair of buckets: publishes and bytes.
type connRate struct {
	publishes, bytes *tokenBucket
}

// allow takes one publish and n bytes at now, or nothing if either bucket
// lacks them.
func (r *connRate) allow(now time.Time, n int) bool {
	r.publishes.refill(now)
	r.bytes.refill(now)
	if !r.publishes.has(1) || !r.bytes.has(int64(n)) {
		return false
	}
	r.publishes.take(1)
	r.bytes.take(int64(n))
	return true
}

// throttleHook enforces the per-connection rates on client publishes when
// Config.Throttle is set: a publish over either rate is discarded; an
// MQTT 5 QoS 1 publisher gets PUBACK 0x97 (quota exceeded), others
// nothing. Each bucket holds one second's worth, and refills on the
// service's clock. IoT Core delays rather than discards traffic over
// 512 KiB/s; stepwire discards it too. Deliveries to a connection are not
// counted.
type throttleHook struct {
	mqtt.HookBase
	s     *Service
	rates syncMap[*mqtt.Client, *connRate]
}

func (h *throttleHook) ID() string { return "stepwire-iot-throttle" }

func (h *throttleHook) Provides(b byte) bool {
	return bytes.Contains([]byte{mqtt.OnPublish, mqtt.OnDisconnect}, []byte{b})
}

func (h *throttleHook) OnPublish(cl *mqtt.Client, pk packets.Packet) (packets.Packet, error) {
	if cl.Net.Inline {
		return pk, nil
	}
	r, ok := h.rates.Load(cl)
	if !ok {
		r = &connRate{
			publishes: newTokenBucket(maxPublishesPerSecond, maxPublishesPerSecond),
			bytes:     newTokenBucket(maxBytesPerSecond, maxBytesPerSecond),
		}
		h.rates.Store(cl, r)
	}
	// One connection's packets are read, and this hook called, by one
	// goroutine; the bucket needs no lock.
	if r.allow(h.s.cfg.Clock.Now(), len(pk.TopicName)+len(pk.Payload)) {
		return pk, nil
	}
	h.s.log.Debug("publish throttled", "client", cl.ID, "topic", pk.TopicName)
	if cl.Properties.ProtocolVersion == 5 && pk.FixedHeader.Qos > 0 {
		return pk, packets.ErrQuotaExceeded
	}
	return pk, packets.ErrRejectPacket
}

func (h *throttleHook) OnDisconnect(cl *mqtt.Client, _ error, _ bool) { h.rates.Delete(cl) }
