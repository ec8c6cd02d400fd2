package iotemu

import (
	"strings"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/stepwire/stepwire/emulator/iotemu/rules"
)

// selectorFilter is a shared subscription on `#` that stepwire keeps in
// mochi's topic index with no client behind it. mochi calls
// OnSelectSubscribers only for messages that match some shared
// subscription; this one matches every topic, so topicHook sees every
// message's subscribers. Its group name holds U+0000, which no client can
// send, so no client's subscription ever joins the group.
const (
	selectorFilter = "$share/stepwire\x00selector/#"
	selectorClient = "$stepwire/selector"
)

// topicHook narrows mochi's subscriber selection to IoT Core's topic
// matching (docs/iot-core.md §3.1): `a/#` matches `a/` and `a/b` but not `a`,
// where mochi follows the MQTT specification and delivers `a` too; and
// wildcards at the first level of a shared filter never match `$` topics.
// It also picks each shared group's member (sharedselect.go).
//
// mochi reports one merged subscription per client, named after the first
// filter it gathered (Subscription.Merge keeps the first Filter and the
// highest QoS). A client whose merged filter does not match, or whose QoS
// may have been raised by a filter that does not, is recomputed from its
// own subscriptions, so it gets the message once, at the highest QoS of
// the filters that do match, or not at all.
type topicHook struct {
	mqtt.HookBase
	s *Service
}

func (h *topicHook) ID() string { return "stepwire-iot-topics" }

func (h *topicHook) Provides(b byte) bool { return b == mqtt.OnSelectSubscribers }

// installSelector subscribes selectorFilter in the broker's topic index.
func (h *topicHook) installSelector() {
	h.s.broker.Topics.Subscribe(selectorClient, packets.Subscription{Filter: selectorFilter})
}

func (h *topicHook) OnSelectSubscribers(subs *mqtt.Subscribers, pk packets.Packet) *mqtt.Subscribers {
	topic := pk.TopicName
	delete(subs.Shared, selectorFilter)
	for filter := range subs.Shared {
		if !rules.MatchFilter(sharedTopicFilter(filter), topic) {
			delete(subs.Shared, filter)
		}
	}
	for id, sub := range subs.Subscriptions {
		if rules.MatchFilter(sub.Filter, topic) && !h.qosRaised(id, sub) {
			continue
		}
		if merged, ok := h.matching(id, topic); ok {
			subs.Subscriptions[id] = merged
		} else {
			delete(subs.Subscriptions, id)
		}
	}
	for id, in := range subs.InlineSubscriptions {
		if !rules.MatchFilter(in.Filter, topic) {
			delete(subs.InlineSubscriptions, id)
		}
	}
	h.selectShared(subs)
	return subs
}

// qosRaised reports whether a merged subscription's QoS is above that of
// the filter it is named after: another filter, which may not match under
// IoT's rules, raised it.
func (h *topicHook) qosRaised(id string, sub packets.Subscription) bool {
	if sub.Qos == 0 {
		return false
	}
	cl, ok := h.s.broker.Clients.Get(id)
	if !ok {
		return false
	}
	own, ok := cl.State.Subscriptions.Get(sub.Filter)
	return ok && own.Qos < sub.Qos
}

// matching merges a client's non-shared subscriptions that match topic
// under IoT's rules, the way mochi merges them.
func (h *topicHook) matching(id, topic string) (packets.Subscription, bool) {
	cl, ok := h.s.broker.Clients.Get(id)
	if !ok {
		return packets.Subscription{}, false
	}
	var merged packets.Subscription
	found := false
	for filter, sub := range cl.State.Subscriptions.GetAll() {
		if mqtt.IsSharedFilter(filter) || !rules.MatchFilter(filter, topic) {
			continue
		}
		if !found {
			merged, found = sub, true
		}
		merged = merged.Merge(sub)
	}
	return merged, found
}

// sharedTopicFilter strips `$share/<group>/` from a shared filter (mochi
// reads the prefix case-insensitively).
func sharedTopicFilter(filter string) string {
	const prefix = "$share/"
	if len(filter) < len(prefix) || !strings.EqualFold(filter[:len(prefix)], prefix) {
		return filter
	}
	_, f, _ := strings.Cut(filter[len(prefix):], "/")
	return f
}
