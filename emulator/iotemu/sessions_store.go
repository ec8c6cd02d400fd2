package iotemu

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/hooks/storage"
	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/stepwire/stepwire/emulator/store"
)

// sessionsBucket keeps MQTT persistent sessions (docs/durability.md §4):
// per client id a record "c/<id>", its subscriptions "s/<id>/<filter>"
// and, while it is offline, the QoS 1 messages queued for it
// "i/<id>/<packet id>". The id is escaped so that "/" ends it.
const sessionsBucket = "mqtt-sessions"

// sessionStoreHook keeps persistent sessions in the store, as IoT Core
// keeps them for their lifetime: the session record and subscriptions
// while it exists, and the messages queued for it while it is offline.
// Messages in flight to a connected client are not written (a write per
// delivery would slow every job down); a crash loses them, and the task
// waiting for one times out (docs/durability.md §4).
type sessionStoreHook struct {
	mqtt.HookBase
	s  *Service
	st store.Store

	mu sync.Mutex
	// restored holds the deadlines of the sessions read back at start,
	// until the session hook has armed them.
	restored map[string]time.Time
}

// keptSession is a session record: mochi's client record and when the
// offline session expires (zero while connected).
type keptSession struct {
	Client   storage.Client `json:"client"`
	Deadline int64          `json:"deadline,omitempty"` // Unix ms, service clock
}

func newSessionStoreHook(s *Service, st store.Store) *sessionStoreHook {
	return &sessionStoreHook{s: s, st: st, restored: map[string]time.Time{}}
}

func (h *sessionStoreHook) ID() string { return "stepwire-iot-session-store" }

func (h *sessionStoreHook) Provides(b byte) bool {
	switch b {
	case mqtt.OnSessionEstablished, mqtt.OnSubscribed, mqtt.OnUnsubscribed, mqtt.OnDisconnect,
		mqtt.OnQosPublish, mqtt.OnQosDropped, mqtt.StoredClients, mqtt.StoredSubscriptions,
		mqtt.StoredInflightMessages:
		return true
	}
	return false
}

// persistent reports whether cl's session outlives its connection
// (mochi's expire rule, inverted).
func persistent(cl *mqtt.Client) bool {
	if cl.Net.Inline {
		return false
	}
	if cl.Properties.ProtocolVersion == 5 {
		return cl.Properties.Props.SessionExpiryInterval > 0
	}
	return !cl.Properties.Clean
}

func sessionKey(kind, clientID string) string { return kind + "/" + escapeKey(clientID) + "/" }

// escapeKey escapes "/" and "%" so that a client id ends at the next "/".
func escapeKey(s string) string {
	return strings.NewReplacer("%", "%25", "/", "%2F").Replace(s)
}

func unescapeKey(s string) string {
	return strings.NewReplacer("%2F", "/", "%25", "%").Replace(s)
}

// OnSessionEstablished writes the session as it now is: a new or resumed
// persistent session with its subscriptions, no queued messages (mochi
// resends them on the connection); a clean one removes what was kept.
func (h *sessionStoreHook) OnSessionEstablished(cl *mqtt.Client, _ packets.Packet) {
	if cl.Net.Inline {
		return
	}
	ops, err := h.clearOps(cl.ID)
	if err == nil && persistent(cl) {
		ops = append(ops, h.recordOp(cl, time.Time{}))
		for _, sub := range cl.State.Subscriptions.GetAll() {
			ops = append(ops, h.subscriptionOp(cl.ID, sub))
		}
	}
	h.apply(cl.ID, err, ops)
}

func (h *sessionStoreHook) OnSubscribed(cl *mqtt.Client, pk packets.Packet, codes []byte) {
	if !persistent(cl) {
		return
	}
	var ops []store.Op
	for i, sub := range pk.Filters {
		if i < len(codes) && codes[i] < 0x80 {
			sub.Qos = codes[i]
			ops = append(ops, h.subscriptionOp(cl.ID, sub))
		}
	}
	h.apply(cl.ID, nil, ops)
}

func (h *sessionStoreHook) OnUnsubscribed(cl *mqtt.Client, pk packets.Packet) {
	if !persistent(cl) {
		return
	}
	ops := make([]store.Op, 0, len(pk.Filters))
	for _, sub := range pk.Filters {
		ops = append(ops, store.Del(sessionsBucket, sessionKey("s", cl.ID)+sub.Filter))
	}
	h.apply(cl.ID, nil, ops)
}

// OnDisconnect keeps a session that outlives its connection with its
// deadline and the messages in flight, and removes one that ends. A
// connection taken over, or a session that the session hook has already
// ended (DeleteConnection with cleanSession), is left alone; so is a
// session mochi is restoring.
func (h *sessionStoreHook) OnDisconnect(cl *mqtt.Client, _ error, expire bool) {
	if cl.Net.Inline || cl.IsTakenOver() || h.restoring(cl) {
		return
	}
	if cur, ok := h.s.broker.Clients.Get(cl.ID); !ok || cur != cl {
		return
	}
	ops, err := h.clearOps(cl.ID)
	if err == nil && !expire && persistent(cl) {
		deadline := h.s.cfg.Clock.Now().Add(h.s.sessions.expiryOf(cl))
		ops = append(ops, h.recordOp(cl, deadline))
		for _, sub := range cl.State.Subscriptions.GetAll() {
			ops = append(ops, h.subscriptionOp(cl.ID, sub))
		}
		for _, pk := range cl.State.Inflight.GetAll(false) {
			ops = append(ops, h.inflightOp(cl, pk))
		}
	}
	h.apply(cl.ID, err, ops)
}

// OnQosPublish keeps a message queued for an offline session.
func (h *sessionStoreHook) OnQosPublish(cl *mqtt.Client, pk packets.Packet, _ int64, _ int) {
	if persistent(cl) && cl.Closed() {
		h.apply(cl.ID, nil, []store.Op{h.inflightOp(cl, pk)})
	}
}

// OnQosDropped forgets a queued message that expired or was dropped.
func (h *sessionStoreHook) OnQosDropped(cl *mqtt.Client, pk packets.Packet) {
	if persistent(cl) && cl.Closed() {
		h.apply(cl.ID, nil, []store.Op{store.Del(sessionsBucket, sessionKey("i", cl.ID)+strconv.Itoa(int(pk.PacketID)))})
	}
}

// forget removes an expired or ended session.
func (h *sessionStoreHook) forget(clientID string) {
	ops, err := h.clearOps(clientID)
	h.apply(clientID, err, ops)
}

func (h *sessionStoreHook) apply(clientID string, err error, ops []store.Op) {
	if err == nil && len(ops) > 0 {
		err = h.st.Apply(ops...)
	}
	if err != nil {
		h.s.log.Error("persistent session not saved", "client", clientID, "error", err)
	}
}

// clearOps deletes everything kept for clientID.
func (h *sessionStoreHook) clearOps(clientID string) ([]store.Op, error) {
	var ops []store.Op
	for _, kind := range []string{"c", "s", "i"} {
		err := h.st.Scan(sessionsBucket, sessionKey(kind, clientID), func(key string, _ []byte) error {
			ops = append(ops, store.Del(sessionsBucket, key))
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read session of %s: %w", clientID, err)
		}
	}
	return ops, nil
}

func (h *sessionStoreHook) recordOp(cl *mqtt.Client, deadline time.Time) store.Op {
	props := cl.Properties.Props
	k := keptSession{Client: storage.Client{
		ID: cl.ID, T: storage.ClientKey, Remote: cl.Net.Remote, Listener: cl.Net.Listener,
		Username: cl.Properties.Username, Clean: cl.Properties.Clean, ProtocolVersion: cl.Properties.ProtocolVersion,
		Properties: storage.ClientProperties{
			SessionExpiryInterval: props.SessionExpiryInterval, SessionExpiryIntervalFlag: props.SessionExpiryIntervalFlag,
			ReceiveMaximum: props.ReceiveMaximum, TopicAliasMaximum: props.TopicAliasMaximum,
			MaximumPacketSize: props.MaximumPacketSize, User: props.User,
			RequestProblemInfo: props.RequestProblemInfo, RequestProblemInfoFlag: props.RequestProblemInfoFlag,
			RequestResponseInfo: props.RequestResponseInfo,
		},
	}}
	if !deadline.IsZero() {
		k.Deadline = deadline.UnixMilli()
	}
	b, _ := json.Marshal(k)
	return store.Put(sessionsBucket, sessionKey("c", cl.ID), b)
}

func (h *sessionStoreHook) subscriptionOp(clientID string, sub packets.Subscription) store.Op {
	b, _ := json.Marshal(storage.Subscription{T: storage.SubscriptionKey, Client: clientID, Filter: sub.Filter,
		Qos: sub.Qos, RetainHandling: sub.RetainHandling, RetainAsPublished: sub.RetainAsPublished,
		NoLocal: sub.NoLocal, Identifier: sub.Identifier})
	return store.Put(sessionsBucket, sessionKey("s", clientID)+sub.Filter, b)
}

func (h *sessionStoreHook) inflightOp(cl *mqtt.Client, pk packets.Packet) store.Op {
	props := pk.Properties.Copy(false)
	m := storage.Message{
		ID: strconv.Itoa(int(pk.PacketID)), T: storage.InflightKey, Client: cl.ID, Origin: pk.Origin,
		FixedHeader: pk.FixedHeader, TopicName: pk.TopicName, Payload: pk.Payload, PacketID: pk.PacketID,
		Created: pk.Created, Sent: pk.Created,
		Properties: storage.MessageProperties{
			PayloadFormat: props.PayloadFormat, MessageExpiryInterval: props.MessageExpiryInterval,
			ContentType: props.ContentType, ResponseTopic: props.ResponseTopic,
			CorrelationData: props.CorrelationData, User: props.User,
		},
	}
	b, _ := json.Marshal(m)
	return store.Put(sessionsBucket, sessionKey("i", cl.ID)+m.ID, b)
}

// restoring reports whether mochi is reading cl back from the store: a
// restored session has never had a connection.
func (h *sessionStoreHook) restoring(cl *mqtt.Client) bool { return cl.Net.Conn == nil }

// takeDeadline returns the deadline a restored session had before the
// restart, once.
func (h *sessionStoreHook) takeDeadline(clientID string) (time.Time, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	d, ok := h.restored[clientID]
	delete(h.restored, clientID)
	return d, ok
}

// minRestoredLife is the least time left for a kept session to be
// restored; one closer to its deadline expires at start.
const minRestoredLife = time.Second

// StoredClients reads the kept sessions back. A session that was
// connected when the emulator stopped restarts its expiry now; one past
// its deadline is dropped.
func (h *sessionStoreHook) StoredClients() ([]storage.Client, error) {
	now := h.s.cfg.Clock.Now()
	var out []storage.Client
	var expired []string
	err := h.st.Scan(sessionsBucket, "c/", func(key string, v []byte) error {
		var k keptSession
		if err := json.Unmarshal(v, &k); err != nil {
			return fmt.Errorf("session %s: %w", key, err)
		}
		if k.Deadline != 0 {
			deadline := time.UnixMilli(k.Deadline)
			if deadline.Sub(now) < minRestoredLife {
				expired = append(expired, k.Client.ID)
				return nil
			}
			h.mu.Lock()
			h.restored[k.Client.ID] = deadline
			h.mu.Unlock()
		}
		out = append(out, k.Client)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("restore persistent sessions: %w", err)
	}
	for _, id := range expired {
		h.forget(id)
	}
	return out, nil
}

// StoredSubscriptions reads the kept sessions' subscriptions back.
func (h *sessionStoreHook) StoredSubscriptions() ([]storage.Subscription, error) {
	var out []storage.Subscription
	err := h.st.Scan(sessionsBucket, "s/", func(key string, v []byte) error {
		var sub storage.Subscription
		if err := json.Unmarshal(v, &sub); err != nil {
			return fmt.Errorf("subscription %s: %w", key, err)
		}
		out = append(out, sub)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("restore persistent sessions' subscriptions: %w", err)
	}
	return out, nil
}

// StoredInflightMessages reads the messages queued for offline sessions
// back.
func (h *sessionStoreHook) StoredInflightMessages() ([]storage.Message, error) {
	var out []storage.Message
	err := h.st.Scan(sessionsBucket, "i/", func(key string, v []byte) error {
		var m storage.Message
		if err := json.Unmarshal(v, &m); err != nil {
			return fmt.Errorf("queued message %s: %w", key, err)
		}
		out = append(out, m)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("restore queued messages: %w", err)
	}
	return out, nil
}
