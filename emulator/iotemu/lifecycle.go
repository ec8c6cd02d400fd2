package iotemu

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
)

// Lifecycle event topics (docs/iot-core.md §3.8).
const (
	topicConnected     = "$aws/events/presence/connected/"
	topicDisconnected  = "$aws/events/presence/disconnected/"
	topicConnectFailed = "$aws/events/presence/connect_failed/"
	topicSubscribed    = "$aws/events/subscriptions/subscribed/"
	topicUnsubscribed  = "$aws/events/subscriptions/unsubscribed/"
)

// Disconnect reasons stepwire reports.
const (
	reasonAuthError         = "AUTH_ERROR"
	reasonClientInitiated   = "CLIENT_INITIATED_DISCONNECT"
	reasonClientError       = "CLIENT_ERROR"
	reasonConnectionLost    = "CONNECTION_LOST"
	reasonDuplicateClientID = "DUPLICATE_CLIENTID"
	reasonForbiddenAccess   = "FORBIDDEN_ACCESS"
	reasonKeepAliveTimeout  = "MQTT_KEEP_ALIVE_TIMEOUT"
	reasonServerInitiated   = "SERVER_INITIATED_DISCONNECT"
	reasonAPIInitiated      = "API_INITIATED_DISCONNECT"
	reasonWebSocketTTL      = "WEBSOCKET_TTL_EXPIRATION"
)

// session is one connection as lifecycle events describe it.
type session struct {
	id        string
	version   int64
	principal string
	ip        string
	since     time.Time
	thing     string
}

// lifecycleHook publishes the presence and subscription events through the
// inline client, where subscribers (with iot:Subscribe and iot:Receive on
// the $aws/events topics) and topic rules see them.
type lifecycleHook struct {
	mqtt.HookBase
	s        *Service
	sessions syncMap[*mqtt.Client, *session]
	// reasons holds the disconnect reason stepwire chose when it closes a
	// connection itself. It is kept apart from sessions because a
	// connection may be closed before its session is established.
	reasons  syncMap[*mqtt.Client, string]
	mu       sync.Mutex
	versions map[string]int64
	// departed remembers disconnected clients for GetConnection.
	departed departures
}

func newLifecycleHook(s *Service) *lifecycleHook {
	return &lifecycleHook{s: s, versions: map[string]int64{}}
}

func (h *lifecycleHook) ID() string { return "stepwire-iot-lifecycle" }

func (h *lifecycleHook) Provides(b byte) bool {
	return bytes.Contains([]byte{mqtt.OnSessionEstablish, mqtt.OnSessionEstablished, mqtt.OnDisconnect, mqtt.OnSubscribed, mqtt.OnUnsubscribed}, []byte{b})
}

// noEvents reports whether a client id gets no lifecycle events.
func noEvents(cl *mqtt.Client) bool { return cl.Net.Inline || strings.ContainsAny(cl.ID, "#+") }

func (h *lifecycleHook) publish(topic string, event map[string]any) {
	b, err := json.Marshal(event)
	if err != nil {
		return
	}
	if err := h.s.broker.Publish(topic, b, false, 1); err != nil {
		h.s.log.Warn("lifecycle event not published", "topic", topic, "error", err)
	}
}

func (h *lifecycleHook) OnSessionEstablished(cl *mqtt.Client, _ packets.Packet) {
	if noEvents(cl) {
		return
	}
	sess := &session{id: newID(), since: h.s.cfg.Clock.Now()}
	if p := h.s.hook.principalOf(cl); p != nil {
		sess.principal = p.id()
		sess.thing = p.thingName(h.s.reg)
	}
	h.departed.forget(cl.ID)
	sess.ip, _, _ = net.SplitHostPort(cl.Net.Remote)
	h.mu.Lock()
	h.versions[cl.ID]++
	sess.version = h.versions[cl.ID]
	h.mu.Unlock()
	h.sessions.Store(cl, sess)
	h.publish(topicConnected+cl.ID, map[string]any{
		"clientId": cl.ID, "timestamp": h.s.cfg.Clock.Now().UnixMilli(), "eventType": "connected",
		"sessionIdentifier": sess.id, "principalIdentifier": sess.principal, "ipAddress": sess.ip,
		"versionNumber": sess.version,
	})
}

// OnSessionEstablish runs before mochi takes over an existing connection
// with the same client id: recording the reason now keeps it from racing
// with the old connection's own teardown (docs/iot-core.md §2.4).
func (h *lifecycleHook) OnSessionEstablish(cl *mqtt.Client, _ packets.Packet) {
	if old, ok := h.s.broker.Clients.Get(cl.ID); ok && old != cl && !old.Closed() {
		h.setReason(old, reasonDuplicateClientID)
	}
}

// setReason records why stepwire is about to close a connection.
func (h *lifecycleHook) setReason(cl *mqtt.Client, reason string) {
	h.reasons.Store(cl, reason)
}

func (h *lifecycleHook) OnDisconnect(cl *mqtt.Client, err error, _ bool) {
	reason, _ := h.reasons.Load(cl)
	h.reasons.Delete(cl)
	sess, ok := h.sessions.Load(cl)
	if !ok {
		return
	}
	h.sessions.Delete(cl)
	if reason == "" {
		reason = disconnectReason(cl, err)
	}
	now := h.s.cfg.Clock.Now()
	h.departed.add(ConnectionInfo{ClientID: cl.ID, ThingName: sess.thing, CleanSession: cl.Properties.Clean,
		KeepAlive: int(cl.State.Keepalive), DisconnectedSince: now, DisconnectReason: reason}, now)
	h.publish(topicDisconnected+cl.ID, map[string]any{
		"clientId": cl.ID, "timestamp": h.s.cfg.Clock.Now().UnixMilli(), "eventType": "disconnected",
		"sessionIdentifier": sess.id, "principalIdentifier": sess.principal,
		"clientInitiatedDisconnect": reason == reasonClientInitiated, "disconnectReason": reason,
		"versionNumber": sess.version,
	})
}

// disconnectReason maps how a connection ended to IoT Core's reasons.
func disconnectReason(cl *mqtt.Client, err error) string {
	cause := cl.StopCause()
	if cause == nil {
		cause = err
	}
	var code packets.Code
	var clientErr errClientError
	switch {
	case cause == nil || errors.Is(cause, packets.CodeDisconnect) || errors.Is(cause, packets.CodeDisconnectWillMessage):
		return reasonClientInitiated
	case errors.As(cause, &clientErr):
		return reasonClientError
	case errors.Is(cause, os.ErrDeadlineExceeded):
		return reasonKeepAliveTimeout
	case errors.Is(cause, io.EOF) || errors.Is(cause, net.ErrClosed):
		return reasonConnectionLost
	case errors.As(cause, &code):
		switch code.Code {
		case packets.ErrSessionTakenOver.Code:
			return reasonDuplicateClientID
		case packets.ErrNotAuthorized.Code:
			return reasonForbiddenAccess
		case packets.ErrServerShuttingDown.Code:
			return reasonServerInitiated
		case packets.ErrAdministrativeAction.Code:
			return reasonAPIInitiated
		}
		return reasonClientError
	}
	return reasonConnectionLost
}

func (h *lifecycleHook) OnSubscribed(cl *mqtt.Client, pk packets.Packet, codes []byte) {
	h.subscriptionEvent(cl, topicSubscribed, "subscribed", pk, codes)
}

func (h *lifecycleHook) OnUnsubscribed(cl *mqtt.Client, pk packets.Packet) {
	h.subscriptionEvent(cl, topicUnsubscribed, "unsubscribed", pk, nil)
}

func (h *lifecycleHook) subscriptionEvent(cl *mqtt.Client, prefix, kind string, pk packets.Packet, codes []byte) {
	sess, ok := h.sessions.Load(cl)
	if !ok {
		return
	}
	topics := make([]string, 0, len(pk.Filters))
	for i, f := range pk.Filters {
		if f.Filter == deniedFilter || f.Filter == invalidFilter || (codes != nil && i < len(codes) && codes[i] >= packets.ErrUnspecifiedError.Code) {
			continue
		}
		topics = append(topics, f.Filter)
	}
	if len(topics) == 0 {
		return
	}
	h.publish(prefix+cl.ID, map[string]any{
		"clientId": cl.ID, "timestamp": h.s.cfg.Clock.Now().UnixMilli(), "eventType": kind,
		"sessionIdentifier": sess.id, "principalIdentifier": sess.principal, "topics": topics,
	})
}

// connectFailed publishes connect_failed for a connection refused by
// authorization (docs/iot-core.md §3.8).
func (h *lifecycleHook) connectFailed(cl *mqtt.Client, p *principal) {
	if noEvents(cl) {
		return
	}
	ev := map[string]any{
		"clientId": cl.ID, "timestamp": h.s.cfg.Clock.Now().UnixMilli(), "eventType": "connect_failed",
		"connectFailureReason": "AUTHORIZATION_FAILED", "sessionIdentifier": newID(),
	}
	if p != nil {
		ev["principalIdentifier"] = p.id()
	}
	if ip, _, err := net.SplitHostPort(cl.Net.Remote); err == nil {
		ev["ipAddress"] = ip
	}
	h.publish(topicConnectFailed+cl.ID, ev)
}
