package iotemu

import (
	"bytes"
	"sync"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/stepwire/stepwire/internal/clock"
)

// Persistent session lifetimes (docs/iot-core.md §3.2).
const (
	// DefaultPersistentSessionExpiry is IoT Core's account default for a
	// disconnected persistent session.
	DefaultPersistentSessionExpiry = time.Hour
	// maxSessionExpiry is the longest a session may outlive its
	// connection: MQTT 5's Session Expiry Interval is clamped to it.
	maxSessionExpiry = 7 * 24 * time.Hour
)

// sessionHook expires disconnected persistent sessions on the service's
// clock. An MQTT 3.1.1 session (clean session 0) lives
// Config.PersistentSessionExpiry, an MQTT 5 session the Session Expiry
// Interval it asked for, clamped to 7 days (mochi clamps it in CONNACK).
// mochi on its own would keep a 3.1.1 session for its maximum (7 days)
// and reads the wall clock.
//
// A timer on the clock removes the session, and a reconnect checks the
// deadline first, so what a client sees (Session Present, queued
// messages) depends only on the clock, not on when the timer's goroutine
// runs.
type sessionHook struct {
	mqtt.HookBase
	s       *Service
	mu      sync.Mutex
	offline map[string]*offlineSession // by client id
	// ending holds connections whose session ends with them
	// (DeleteConnection with cleanSession).
	ending map[*mqtt.Client]bool
}

// offlineSession is a disconnected persistent session awaiting expiry.
type offlineSession struct {
	cl       *mqtt.Client
	deadline time.Time
	timer    clock.Timer
}

func newSessionHook(s *Service) *sessionHook {
	return &sessionHook{s: s, offline: map[string]*offlineSession{}, ending: map[*mqtt.Client]bool{}}
}

func (h *sessionHook) ID() string { return "stepwire-iot-sessions" }

func (h *sessionHook) Provides(b byte) bool {
	return bytes.Contains([]byte{mqtt.OnSessionEstablish, mqtt.OnDisconnect}, []byte{b})
}

// expiryOf is how long cl's session outlives the connection.
func (h *sessionHook) expiryOf(cl *mqtt.Client) time.Duration {
	d := h.s.cfg.PersistentSessionExpiry
	if cl.Properties.ProtocolVersion == 5 {
		d = time.Duration(cl.Properties.Props.SessionExpiryInterval) * time.Second
	}
	return min(d, maxSessionExpiry)
}

// OnDisconnect arms the expiry of a session that outlives its connection.
// mochi's expire flag covers clean sessions; a session taken over lives on
// in the new connection.
func (h *sessionHook) OnDisconnect(cl *mqtt.Client, _ error, expire bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	ending := h.ending[cl]
	delete(h.ending, cl)
	if expire || cl.Net.Inline || cl.IsTakenOver() {
		return
	}
	if ending {
		h.expireLocked(&offlineSession{cl: cl, timer: stoppedTimer{}})
		return
	}
	d := h.expiryOf(cl)
	if h.s.sessionStore != nil {
		if deadline, ok := h.s.sessionStore.takeDeadline(cl.ID); ok {
			d = max(deadline.Sub(h.s.cfg.Clock.Now()), 0) // as before the restart
		}
	}
	if old := h.offline[cl.ID]; old != nil {
		old.timer.Stop()
	}
	o := &offlineSession{cl: cl, deadline: h.s.cfg.Clock.Now().Add(d)}
	o.timer = h.s.cfg.Clock.AfterFunc(d, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if h.offline[cl.ID] == o {
			h.expireLocked(o)
		}
	})
	h.offline[cl.ID] = o
}

// OnSessionEstablish runs before mochi resumes or replaces the session of
// a reconnecting client: a session past its deadline is gone by then.
func (h *sessionHook) OnSessionEstablish(cl *mqtt.Client, _ packets.Packet) {
	h.mu.Lock()
	defer h.mu.Unlock()
	o := h.offline[cl.ID]
	if o == nil {
		return
	}
	if h.s.cfg.Clock.Now().Before(o.deadline) {
		o.timer.Stop()
		delete(h.offline, cl.ID)
		return
	}
	h.expireLocked(o)
}

// expireLocked removes an offline session from the broker, as mochi does
// for a session that ends with its connection.
func (h *sessionHook) expireLocked(o *offlineSession) {
	o.timer.Stop()
	delete(h.offline, o.cl.ID)
	cl := o.cl
	if cur, ok := h.s.broker.Clients.Get(cl.ID); !ok || cur != cl || !cl.Closed() {
		return
	}
	h.s.log.Info("persistent session expired", "client", cl.ID)
	cl.ClearInflights()
	h.s.broker.UnsubscribeClient(cl)
	h.s.broker.Clients.Delete(cl.ID)
	h.s.hook.OnClientExpired(cl)
	if h.s.sessionStore != nil {
		h.s.sessionStore.forget(cl.ID)
	}
}

// endOnDisconnect makes cl's session end with its connection.
func (h *sessionHook) endOnDisconnect(cl *mqtt.Client) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.ending[cl] = true
}

// end ends the session of a disconnected client now; it reports whether
// there was one.
func (h *sessionHook) end(cl *mqtt.Client) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	o := h.offline[cl.ID]
	if o == nil || o.cl != cl {
		return false
	}
	h.expireLocked(o)
	return true
}

// stopTimers disarms every offline session's expiry when the service
// closes: an armed timer would keep the closed service, and all it
// references, in memory until the session's expiry (an hour by default).
func (h *sessionHook) stopTimers() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for id, o := range h.offline {
		o.timer.Stop()
		delete(h.offline, id)
	}
}

// stoppedTimer stands for the timer of a session that was never armed.
type stoppedTimer struct{}

func (stoppedTimer) Stop() bool { return false }
