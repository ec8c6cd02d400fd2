package iotemu

import (
	"bytes"
	"fmt"
	"strings"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
)

// IoT Core's message broker limits (docs/iot-core.md §3.6, §3.9).
const (
	maxTopicBytes          = 256
	maxTopicSlashes        = 7
	maxClientIDBytes       = 128
	maxFiltersPerSubscribe = 8
	maxSubscriptions       = 50
	keepAliveMin           = 30
	keepAliveMax           = 1200
)

// invalidFilter replaces a filter that breaks IoT Core's limits so that
// mochi answers it with reason code 0x8F (topic filter invalid).
const invalidFilter = "stepwire/invalid/#/"

// topicLimits checks a topic name or filter against the length and level
// limits. The Basic Ingest prefix $aws/rules/<rule>/ and a shared
// subscription's $share/<group>/ do not count.
func topicLimits(topic string) error {
	t := topic
	if rest, ok := strings.CutPrefix(t, "$share/"); ok {
		if _, filter, ok := strings.Cut(rest, "/"); ok {
			t = filter
		}
	} else if rest, ok := strings.CutPrefix(t, "$aws/rules/"); ok {
		if _, after, ok := strings.Cut(rest, "/"); ok {
			t = after
		}
	}
	if len(t) > maxTopicBytes {
		return fmt.Errorf("%w: topic %.40q... is longer than %d bytes", ErrInvalidRequest, topic, maxTopicBytes)
	}
	if n := strings.Count(t, "/"); n > maxTopicSlashes {
		return fmt.Errorf("%w: topic %q has %d slashes, the limit is %d", ErrInvalidRequest, topic, n, maxTopicSlashes)
	}
	return nil
}

// clientTopicAllowed reports whether a client may publish to or subscribe
// to a `$` topic: only the reserved $aws/ topics IoT Core documents for
// clients (lifecycle events, shadows, jobs, Basic Ingest); never $SYS.
func clientTopicAllowed(topic string, subscribe bool) bool {
	if subscribe {
		if rest, ok := strings.CutPrefix(topic, "$share/"); ok {
			_, topic, _ = strings.Cut(rest, "/")
		}
	}
	if !strings.HasPrefix(topic, "$") {
		return true
	}
	rest, ok := strings.CutPrefix(topic, "$aws/")
	if !ok {
		return false
	}
	if subscribe {
		return strings.HasPrefix(rest, "events/") || strings.HasPrefix(rest, "things/")
	}
	return strings.HasPrefix(rest, "things/") || strings.HasPrefix(rest, "rules/")
}

// limitsHook refuses what IoT Core refuses before any policy is asked:
// over-long client ids, QoS 2, over-long topics, too many filters. It also
// clamps the keep-alive and narrows retained delivery to exact filters.
type limitsHook struct {
	mqtt.HookBase
	s *Service
}

func (h *limitsHook) ID() string { return "stepwire-iot-limits" }

func (h *limitsHook) Provides(b byte) bool {
	return bytes.Contains([]byte{mqtt.OnConnect, mqtt.OnPacketRead}, []byte{b})
}

// OnConnect refuses client ids over 128 bytes (CONNACK 0x85, 3.1.1: 0x02)
// and clamps the keep-alive to 30..1200 s, 0 meaning 1200, and tells
// MQTT 5 clients the value in Server Keep Alive (docs/iot-core.md §3.6).
func (h *limitsHook) OnConnect(cl *mqtt.Client, pk packets.Packet) error {
	if len(cl.ID) > maxClientIDBytes {
		_ = h.s.broker.SendConnack(cl, packets.ErrClientIdentifierNotValid, false, nil)
		h.s.log.Info("connect refused", "client", cl.ID[:32]+"...", "error", "client id longer than 128 bytes")
		return packets.ErrClientIdentifierNotValid
	}
	ka := cl.State.Keepalive
	switch {
	case ka == 0 || ka > keepAliveMax:
		ka = keepAliveMax
	case ka < keepAliveMin:
		ka = keepAliveMin
	}
	if ka != cl.State.Keepalive {
		cl.State.Keepalive = ka
		cl.State.ServerKeepalive = cl.Properties.ProtocolVersion == 5
	}
	return nil
}

// OnPacketRead checks PUBLISH and SUBSCRIBE packets against the limits.
func (h *limitsHook) OnPacketRead(cl *mqtt.Client, pk packets.Packet) (packets.Packet, error) {
	switch pk.FixedHeader.Type {
	case packets.Publish:
		return h.checkPublish(cl, pk)
	case packets.Subscribe:
		return h.checkSubscribe(cl, pk)
	}
	return pk, nil
}

func (h *limitsHook) checkPublish(cl *mqtt.Client, pk packets.Packet) (packets.Packet, error) {
	var code packets.Code
	var why string
	switch {
	case pk.FixedHeader.Qos > 1:
		code, why = packets.ErrQosNotSupported, "QoS 2 is not supported"
	case len(pk.Payload) > maxPayload:
		code, why = packets.ErrPacketTooLarge, "payload exceeds 128 KiB"
	case pk.TopicName != "" && topicLimits(pk.TopicName) != nil:
		code, why = packets.ErrTopicNameInvalid, topicLimits(pk.TopicName).Error()
	default:
		return pk, nil
	}
	return pk, h.refuse(cl, code, why, pk.TopicName)
}

func (h *limitsHook) checkSubscribe(cl *mqtt.Client, pk packets.Packet) (packets.Packet, error) {
	if len(pk.Filters) > maxFiltersPerSubscribe {
		return pk, h.refuse(cl, packets.ErrQuotaExceeded, "more than 8 filters in one SUBSCRIBE", "")
	}
	if cl.State.Subscriptions.Len()+len(pk.Filters) > maxSubscriptions {
		return pk, h.refuse(cl, packets.ErrQuotaExceeded, "more than 50 subscriptions on one connection", "")
	}
	filters := make(packets.Subscriptions, len(pk.Filters))
	copy(filters, pk.Filters)
	for i, sub := range filters {
		if topicLimits(sub.Filter) != nil || !clientTopicAllowed(sub.Filter, true) {
			h.s.log.Info("subscribe refused", "client", cl.ID, "filter", sub.Filter, "reason", "topic filter invalid or reserved")
			filters[i].Filter = invalidFilter
			continue
		}
		// Retained messages go only to subscriptions whose filter is the
		// topic itself (docs/iot-core.md §3.3).
		if strings.ContainsAny(sub.Filter, "+#") {
			filters[i].RetainHandling = 2
		}
	}
	pk.Filters = filters
	return pk, nil
}

// refuse ends a connection that broke a limit: MQTT 5 clients get a
// DISCONNECT with the reason code, 3.1.1 clients see the socket close.
func (h *limitsHook) refuse(cl *mqtt.Client, code packets.Code, why, topic string) error {
	h.s.log.Info("client disconnected for breaking a limit", "client", cl.ID, "reason", why, "topic", topic)
	if cl.Properties.ProtocolVersion == 5 {
		_ = h.s.broker.DisconnectClient(cl, code)
	}
	cl.Stop(errClientError{code})
	return packets.ErrRejectPacket
}

// errClientError is the stop cause of a connection closed for a protocol
// or limit violation (lifecycle reason CLIENT_ERROR).
type errClientError struct{ code packets.Code }

func (e errClientError) Error() string { return "client error: " + e.code.Reason }
