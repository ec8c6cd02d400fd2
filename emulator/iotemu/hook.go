package iotemu

import (
	"bytes"
	"crypto/tls"
	"errors"
	"sync"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/stepwire/stepwire/emulator/iotemu/pki"
)

// deniedFilter replaces a filter whose iot:Subscribe was denied, so that
// mochi's following OnACLCheck refuses it without ambiguity. It contains
// U+0000, which no client can send in a topic filter.
const deniedFilter = "$stepwire/denied/\x00"

// policyHook is the broker's only authorization hook. mochi ORs the
// answers of auth hooks, so it must stay the only one (no AllowHook).
//
//   - OnConnect: certificate → registry (ACTIVE) → iot:Connect on
//     client/<client id>; MQTT 5 denial sends CONNACK 0x87, MQTT 3.1.1
//     closes the socket without CONNACK, as IoT Core does.
//   - OnConnectAuthenticate: true only for connections OnConnect admitted.
//   - OnSubscribe: iot:Subscribe on topicfilter/<filter exactly as sent>;
//     a denied filter is replaced by deniedFilter, an allowed one is
//     remembered, and the OnACLCheck(write=false) mochi then makes for it
//     is answered from that memory. OnSubscribed forgets what is left.
//   - OnACLCheck(write=true): iot:Publish on topic/<topic>; mochi answers
//     a denial with PUBACK 0x87 (MQTT 5 QoS 1) or a disconnect (3.1.1).
//   - OnACLCheck(write=false) otherwise: a delivery, iot:Receive on
//     topic/<topic>; a denial means the message is not delivered.
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
	conns sync.Map // *mqtt.Client → *principal
}

func (h *policyHook) ID() string { return "stepwire-iot-policy" }

func (h *policyHook) Provides(b byte) bool {
	return bytes.Contains([]byte{
		mqtt.OnConnect, mqtt.OnConnectAuthenticate, mqtt.OnSubscribe, mqtt.OnSubscribed,
		mqtt.OnACLCheck, mqtt.OnPublish, mqtt.OnDisconnect,
	}, []byte{b})
}

var errConnectDenied = errors.New("iotemu: connect not authorized")

func (h *policyHook) OnConnect(cl *mqtt.Client, pk packets.Packet) error {
	p, err := h.identify(cl)
	if err == nil && !h.s.authorize(p, actConnect, "client", cl.ID).Allowed {
		err = errConnectDenied
	}
	if err != nil {
		h.s.log.Info("connect refused", "client", cl.ID, "remote", cl.Net.Remote, "error", err)
		if cl.Properties.ProtocolVersion == 5 {
			_ = h.s.broker.SendConnack(cl, packets.ErrNotAuthorized, false, nil)
		}
		return err
	}
	h.conns.Store(cl, p)
	return nil
}

// identify finds the registered, active certificate of a connection.
func (h *policyHook) identify(cl *mqtt.Client) (*principal, error) {
	tc, ok := cl.Net.Conn.(*tls.Conn)
	if !ok {
		return nil, errors.New("iotemu: connection is not TLS")
	}
	certs := tc.ConnectionState().PeerCertificates
	if len(certs) == 0 {
		return nil, errors.New("iotemu: no client certificate")
	}
	id := pki.CertificateID(certs[0].Raw)
	if err := h.s.reg.certificateUsable(id, time.Now()); err != nil {
		return nil, err
	}
	return &principal{certID: id, clientID: cl.ID}, nil
}

func (h *policyHook) OnConnectAuthenticate(cl *mqtt.Client, _ packets.Packet) bool {
	_, ok := h.conns.Load(cl)
	return ok
}

func (h *policyHook) principalOf(cl *mqtt.Client) *principal {
	v, ok := h.conns.Load(cl)
	if !ok {
		return nil
	}
	return v.(*principal)
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

func (h *policyHook) OnSubscribed(cl *mqtt.Client, _ packets.Packet, _ []byte) {
	if p := h.principalOf(cl); p != nil {
		p.mu.Lock()
		p.pendingSubs = nil
		p.mu.Unlock()
	}
}

func (h *policyHook) OnACLCheck(cl *mqtt.Client, topic string, write bool) bool {
	p := h.principalOf(cl)
	if p == nil {
		return false
	}
	if write {
		return h.s.authorize(p, actPublish, "topic", topic).Allowed
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
		_ = h.s.broker.DisconnectClient(cl, packets.ErrNotAuthorized)
	}
	return pk, packets.ErrRejectPacket
}

func (h *policyHook) OnDisconnect(cl *mqtt.Client, _ error, _ bool) {
	h.conns.Delete(cl)
}

// disconnectCertificate closes every live connection made with the
// certificate (it left ACTIVE).
func (h *policyHook) disconnectCertificate(certID string) {
	h.conns.Range(func(k, v any) bool {
		if v.(*principal).certID == certID {
			_ = h.s.broker.DisconnectClient(k.(*mqtt.Client), packets.ErrAdministrativeAction)
		}
		return true
	})
}
