package iotemu

import (
	"math/rand/v2"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
)

// selectShared picks, for each shared subscription group a message
// matches, the one member that gets it, as IoT Core does
// (docs/iot-core.md §3.5): a member chosen at random among those
// connected; when none is, a member whose persistent session then queues
// the message until it returns. mochi's own choice ignores whether a
// member is connected, so a job could wait in the session of a worker that
// is gone while another member of its group is online.
func (h *topicHook) selectShared(subs *mqtt.Subscribers) {
	if len(subs.Shared) == 0 {
		return
	}
	subs.SharedSelected = map[string]packets.Subscription{}
	for _, members := range subs.Shared {
		id, ok := h.pickMember(members)
		if !ok {
			continue
		}
		sub := members[id]
		if prev, ok := subs.SharedSelected[id]; ok {
			sub = prev.Merge(sub)
		}
		subs.SharedSelected[id] = sub
	}
}

// pickMember picks a random connected member of a group, else a random
// member.
func (h *topicHook) pickMember(members map[string]packets.Subscription) (string, bool) {
	var online, all []string
	for id := range members {
		all = append(all, id)
		if cl, ok := h.s.broker.Clients.Get(id); ok && !cl.Closed() {
			online = append(online, id)
		}
	}
	if len(online) > 0 {
		return online[rand.IntN(len(online))], true
	}
	if len(all) > 0 {
		return all[rand.IntN(len(all))], true
	}
	return "", false
}
