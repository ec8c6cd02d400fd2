package iotemu

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
)

// RetainedMessage is a retained message as the iot-data
// GetRetainedMessage and ListRetainedMessages APIs describe it
// (docs/iot-core.md §5.1).
type RetainedMessage struct {
	Topic   string
	Payload []byte
	Qos     byte
	// LastModified is when the broker stored the message, in
	// milliseconds since the epoch on the service's clock.
	LastModified int64
	// UserProperties is the message's MQTT 5 user properties as the API
	// returns them: a JSON array of one-key objects, nil when none.
	UserProperties []byte
}

// retainedHook stamps retained messages with the service's clock: mochi
// keeps only a wall-clock creation second.
type retainedHook struct {
	mqtt.HookBase
	s        *Service
	modified syncMap[string, int64] // by topic
}

func (h *retainedHook) ID() string { return "stepwire-iot-retained" }

func (h *retainedHook) Provides(b byte) bool { return b == mqtt.OnRetainMessage }

// OnRetainMessage records when a topic's retained message was stored; r is
// 1 when mochi stored it, otherwise the message was deleted.
func (h *retainedHook) OnRetainMessage(_ *mqtt.Client, pk packets.Packet, r int64) {
	if r == 1 {
		h.modified.Store(pk.TopicName, h.s.cfg.Clock.Now().UnixMilli())
		return
	}
	h.modified.Delete(pk.TopicName)
}

func (h *retainedHook) describe(pk packets.Packet) RetainedMessage {
	m := RetainedMessage{Topic: pk.TopicName, Payload: pk.Payload, Qos: pk.FixedHeader.Qos}
	m.LastModified, _ = h.modified.Load(pk.TopicName)
	if len(pk.Properties.User) > 0 {
		props := make([]map[string]string, len(pk.Properties.User))
		for i, u := range pk.Properties.User {
			props[i] = map[string]string{u.Key: u.Val}
		}
		m.UserProperties, _ = json.Marshal(props)
	}
	return m
}

// GetRetainedMessage returns the message retained on topic. Reserved `$`
// topics hold none (docs/iot-core.md §3.3); mochi's own $SYS topics are hidden.
func (s *Service) GetRetainedMessage(topic string) (RetainedMessage, error) {
	pk, ok := s.broker.Topics.Retained.Get(topic)
	if !ok || len(pk.Payload) == 0 || strings.HasPrefix(topic, "$") {
		return RetainedMessage{}, fmt.Errorf("retained message on %q: %w", topic, ErrNotFound)
	}
	return s.retained.describe(pk), nil
}

// ListRetainedMessages lists retained messages by topic, payloads left
// out, a page of at most maxResults (default and limit 200) from the
// opaque nextToken of the previous page.
func (s *Service) ListRetainedMessages(nextToken string, maxResults int) ([]RetainedMessage, string, error) {
	if maxResults < 0 || maxResults > 200 {
		return nil, "", fmt.Errorf("%w: maxResults must be between 1 and 200", ErrInvalidRequest)
	}
	if maxResults == 0 {
		maxResults = 200
	}
	all := make([]RetainedMessage, 0, s.broker.Topics.Retained.Len())
	for _, pk := range s.broker.Topics.Retained.GetAll() {
		if len(pk.Payload) > 0 && !strings.HasPrefix(pk.TopicName, "$") {
			all = append(all, s.retained.describe(pk))
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Topic < all[j].Topic })
	return page(all, nextToken, maxResults)
}
