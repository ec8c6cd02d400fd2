package iotemu

import (
	"bytes"
	"crypto/tls"
	"errors"
	"net"
	"strings"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/stepwire/stepwire/emulator/iotemu/pki"
	"github.com/stepwire/stepwire/emulator/iotemu/policy"
)

// deniedFilter replaces a filter whose iot:Subscribe was denied, so that
// mochi's following OnACLCheck refuses it without ambiguity. It contains
// U+0000, which no client can send in a topic filter.
const deniedFilter = "$stepwire/denied/\x00"

// policyHook is the broker's only authorization hook. mochi ORs the
// answers of auth hooks, so it must stay the only one (no AllowHook).
//
//   - OnConnect: certificate → registry (ACTIVE) → iot:Connect on
//     client/<client id>, and iot:Publish on the will topic if any; MQTT 5
//     denial sends CONNACK 0x87, MQTT 3.1.1 closes the socket without
//     CONNACK, as IoT Core does (docs/iot-core.md §1.7).
//   - OnConnectAuthenticate: true only for connections OnConnect admitted.
//   - OnSessionEstablish: messages queued for a persistent session are
//     checked for iot:Receive under the new connection's identity.
//   - OnSubscribe: iot:Subscribe on topicfilter/<filter exactly as sent>;
//     a denied filter is replaced by deniedFilter, an allowed one is
//     remembered, and the OnACLCheck(write=false) mochi then makes for it
//     is answered from that memory. OnSubscribed forgets what is left and
//     disconnects a 3.1.1 client that was refused a filter.
//   - OnACLCheck(write=true): iot:Publish on topic/<topic> (reserved `$`
//     topics refused); mochi answers a denial with PUBACK 0x87 (MQTT 5
//     QoS 1); 3.1.1 clients are disconnected, at QoS 0 too.
//   - OnACLCheck(write=false) otherwise: a delivery, iot:Receive on
//     topic/<topic>, live, queued or retained; a denial means the message
//     is not delivered.
//   - OnPublish: iot:RetainPublish for retained publishes.
//
// The inline client (data-plane Publish, rules) never reaches these checks.
//
// Known gap: if a message on topic T is delivered to a client while that
// same client's SUBSCRIBE for the plain filter T (allowed) is in flight,
// the delivery may take the Subscribe answer instead of iot:Receive.
type policyHook struct {
	mqtt.HookBase
	s     *Service
	conns syncMap[*mqtt.Client, *principal]
}

func (h *policyHook) ID() string { return "stepwire-iot-policy" }

func (h *policyHook) Provides(b byte) bool {
	return bytes.Contains([]byte{
		mqtt.OnConnect, mqtt.OnConnectAuthenticate, mqtt.OnSessionEstablish, mqtt.OnSubscribe, mqtt.OnSubscribed,
		mqtt.OnACLCheck, mqtt.OnPublish, mqtt.OnDisconnect, mqtt.OnClientExpired,
	}, []byte{b})
}

var errConnectDenied = errors.New("iotemu: connect not authorized")

func (h *policyHook) OnConnect(cl *mqtt.Client, pk packets.Packet) error {
	p, err := h.identify(cl, pk)
	if err == nil && !h.s.authorize(p, actConnect, "client", cl.ID).Allowed {
		err = errConnectDenied
	}
	if err == nil && pk.Connect.WillFlag && !h.s.authorize(p, actPublish, "topic", pk.Connect.WillTopic).Allowed {
		err = errors.New("iotemu: will topic not authorized")
	}
	if err != nil {
		h.s.log.Info("connect refused", "client", cl.ID, "remote", cl.Net.Remote, "error", err)
		if cl.Properties.ProtocolVersion == 5 {
			_ = h.s.broker.SendConnack(cl, packets.ErrNotAuthorized, false, nil)
		}
		h.s.lifecycle.connectFailed(cl, p)
		return err
	}
	h.conns.Store(cl, p)
	h.s.expireWebSocket(cl)
	return nil
}

// identify builds a connection's principal: the IAM identity of a signed
// WebSocket (docs/iot-core.md §7.3), or the registered, active certificate
// of a TLS connection.
func (h *policyHook) identify(cl *mqtt.Client, pk packets.Packet) (*principal, error) {
	if ic, ok := cl.Net.Conn.(*iamConn); ok {
		return &principal{iam: ic.identity, clientID: cl.ID, conn: connectContext(cl, pk)}, nil
	}
	tc, ok := cl.Net.Conn.(*tls.Conn)
	if !ok {
		return nil, errors.New("iotemu: connection is neither TLS nor a signed WebSocket")
	}
	certs := tc.ConnectionState().PeerCertificates
	if len(certs) == 0 {
		return nil, errors.New("iotemu: no client certificate")
	}
	id := pki.CertificateID(certs[0].Raw)
	if err := h.s.reg.certificateUsable(id, h.s.cfg.Clock.Now()); err != nil {
		return nil, err
	}
	return &principal{certID: id, clientID: cl.ID, conn: connectContext(cl, pk)}, nil
}

// connectContext is a connection's own policy context keys: aws:SourceIp
// and iot:ConnectAttributes.
func connectContext(cl *mqtt.Client, pk packets.Packet) map[string]string {
	conn := map[string]string{}
	if host, _, err := net.SplitHostPort(cl.Net.Remote); err == nil {
		conn["aws:SourceIp"] = host
	}
	var attrs []string
	persistent := !pk.Connect.Clean
	if cl.Properties.ProtocolVersion == 5 {
		persistent = pk.Properties.SessionExpiryInterval > 0
	}
	if persistent {
		attrs = append(attrs, "PersistentConnect")
	}
	if pk.Connect.WillFlag {
		attrs = append(attrs, "LastWill")
	}
	if len(attrs) > 0 {
		conn["iot:ConnectAttributes"] = strings.Join(attrs, policy.ListSeparator)
	}
	return conn
}

func (h *policyHook) OnConnectAuthenticate(cl *mqtt.Client, _ packets.Packet) bool {
	_, ok := h.conns.Load(cl)
	return ok
}

func (h *policyHook) principalOf(cl *mqtt.Client) *principal {
	p, _ := h.conns.Load(cl)
	return p
}

// OnSessionEstablish drops the messages queued for a resumed session that
// the new connection may not receive: queued messages are deliveries too
// (docs/iot-core.md §1.2), and the identity resuming a session may differ from
// the one that made it.
func (h *policyHook) OnSessionEstablish(cl *mqtt.Client, pk packets.Packet) {
	p := h.principalOf(cl)
	old, ok := h.s.broker.Clients.Get(cl.ID)
	if p == nil || !ok || pk.Connect.Clean {
		return
	}
	h.conns.Delete(old)
	for _, q := range old.State.Inflight.GetAll(false) {
		if q.FixedHeader.Type == packets.Publish && !h.s.authorize(p, actReceive, "topic", q.TopicName).Allowed {
			old.State.Inflight.Delete(q.PacketID)
		}
	}
}

func (h *policyHook) OnSubscribe(cl *mqtt.Client, pk packets.Packet) packets.Packet {
	p := h.principalOf(cl)
	if p == nil || cl.Net.Inline {
		return pk
	}
	filters := make(packets.Subscriptions, len(pk.Filters))
	copy(filters, pk.Filters)
	for i, sub := range filters {
		if !mqtt.IsValidFilter(sub.Filter, false) || (sub.NoLocal && mqtt.IsSharedFilter(sub.Filter)) {
			continue // mochi refuses these before asking for authorization
		}
		if !h.s.authorize(p, actSubscribe, "topicfilter", sub.Filter).Allowed {
			filters[i].Filter = deniedFilter
			continue
		}
		p.mu.Lock()
		if p.pendingSubs == nil {
			p.pendingSubs = map[string]int{}
		}
		p.pendingSubs[sub.Filter]++
		p.mu.Unlock()
	}
	pk.Filters = filters
	return pk
}

// OnSubscribed forgets pending answers. An MQTT 3.1.1 client refused a
// filter is disconnected before its SUBACK, as IoT Core does (§1.7).
func (h *policyHook) OnSubscribed(cl *mqtt.Client, pk packets.Packet, codes []byte) {
	p := h.principalOf(cl)
	if p == nil {
		return
	}
	p.mu.Lock()
	p.pendingSubs = nil
	p.mu.Unlock()
	if cl.Properties.ProtocolVersion < 5 {
		for i, sub := range pk.Filters {
			if sub.Filter == deniedFilter && i < len(codes) && codes[i] >= packets.ErrUnspecifiedError.Code {
				cl.Stop(packets.ErrNotAuthorized)
				return
			}
		}
	}
}

func (h *policyHook) OnACLCheck(cl *mqtt.Client, topic string, write bool) bool {
	p := h.principalOf(cl)
	if p == nil {
		// A session restored from the store has had no connection since
		// the restart: its messages are queued, and checked against the
		// identity that resumes it (OnSessionEstablish).
		return !write && cl.Net.Conn == nil && !cl.Net.Inline
	}
	if write {
		ok := clientTopicAllowed(topic, false) && h.s.authorize(p, actPublish, "topic", topic).Allowed
		if !ok && cl.Properties.ProtocolVersion < 5 {
			cl.Stop(packets.ErrNotAuthorized)
		}
		return ok
	}
	if topic == deniedFilter {
		return false
	}
	p.mu.Lock()
	if n := p.pendingSubs[topic]; n > 0 {
		p.pendingSubs[topic] = n - 1
		p.mu.Unlock()
		return true
	}
	p.mu.Unlock()
	return h.s.authorize(p, actReceive, "topic", topic).Allowed
}

// OnPublish checks iot:RetainPublish. MQTT 5 QoS 1 gets PUBACK 0x87;
// otherwise the message is dropped, and 3.1.1 clients are disconnected as
// IoT Core does.
func (h *policyHook) OnPublish(cl *mqtt.Client, pk packets.Packet) (packets.Packet, error) {
	if cl.Net.Inline || !pk.FixedHeader.Retain {
		return pk, nil
	}
	p := h.principalOf(cl)
	if p != nil && h.s.authorize(p, actRetainPublish, "topic", pk.TopicName).Allowed {
		return pk, nil
	}
	if cl.Properties.ProtocolVersion == 5 && pk.FixedHeader.Qos > 0 {
		return pk, packets.ErrNotAuthorized
	}
	if cl.Properties.ProtocolVersion < 5 {
		cl.Stop(packets.ErrNotAuthorized)
	}
	return pk, packets.ErrRejectPacket
}

// OnDisconnect forgets the connection's principal unless its session
// lives on: queued deliveries to it are still checked for iot:Receive.
func (h *policyHook) OnDisconnect(cl *mqtt.Client, _ error, expire bool) {
	if expire {
		h.conns.Delete(cl)
	}
}

// OnClientExpired forgets an expired persistent session's principal.
func (h *policyHook) OnClientExpired(cl *mqtt.Client) { h.conns.Delete(cl) }

// disconnectCertificate closes every live connection made with the
// certificate (it left ACTIVE).
func (h *policyHook) disconnectCertificate(certID string) {
	h.conns.Range(func(cl *mqtt.Client, p *principal) bool {
		if p.certID == certID && !cl.Closed() {
			h.s.lifecycle.setReason(cl, reasonAuthError)
			h.s.kick(cl, packets.ErrAdministrativeAction)
		}
		return true
	})
}
