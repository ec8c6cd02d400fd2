package iotemu

import (
	"encoding/json"
	"fmt"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/hooks/storage"
	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/stepwire/stepwire/emulator/store"
)

// retainedBucket keeps the retained messages, one key per topic
// (docs/durability.md §4).
const retainedBucket = "mqtt-retained"

// retainedStoreHook keeps retained messages in the store: each one is
// written when the broker stores or deletes it, before the publish goes
// on, and mochi reads them back when it starts serving.
type retainedStoreHook struct {
	mqtt.HookBase
	s  *Service
	st store.Store
}

// keptRetained is a retained message as the store keeps it, with the
// time the iot-data API reports (retainedHook.modified).
type keptRetained struct {
	Message  storage.Message `json:"message"`
	Modified int64           `json:"modified"`
}

func (h *retainedStoreHook) ID() string { return "stepwire-iot-retained-store" }

func (h *retainedStoreHook) Provides(b byte) bool {
	return b == mqtt.OnRetainMessage || b == mqtt.StoredRetainedMessages
}

// OnRetainMessage writes or deletes the topic's retained message.
func (h *retainedStoreHook) OnRetainMessage(cl *mqtt.Client, pk packets.Packet, r int64) {
	var err error
	switch r {
	case 1:
		err = h.put(cl, pk)
	case -1:
		err = h.st.Apply(store.Del(retainedBucket, pk.TopicName))
	}
	if err != nil {
		h.s.log.Error("retained message not saved", "topic", pk.TopicName, "error", err)
	}
}

func (h *retainedStoreHook) put(cl *mqtt.Client, pk packets.Packet) error {
	props := pk.Properties.Copy(false)
	m := storage.Message{
		ID: pk.TopicName, T: storage.RetainedKey, FixedHeader: pk.FixedHeader, TopicName: pk.TopicName,
		Payload: pk.Payload, Created: pk.Created, Client: cl.ID, Origin: pk.Origin,
		Properties: storage.MessageProperties{
			PayloadFormat: props.PayloadFormat, MessageExpiryInterval: props.MessageExpiryInterval,
			ContentType: props.ContentType, ResponseTopic: props.ResponseTopic,
			CorrelationData: props.CorrelationData, User: props.User,
		},
	}
	modified, _ := h.s.retained.modified.Load(pk.TopicName)
	b, err := json.Marshal(keptRetained{Message: m, Modified: modified})
	if err != nil {
		return err
	}
	return h.st.Apply(store.Put(retainedBucket, pk.TopicName, b))
}

// StoredRetainedMessages reads the retained messages back, and their
// modification times.
func (h *retainedStoreHook) StoredRetainedMessages() ([]storage.Message, error) {
	var out []storage.Message
	err := h.st.Scan(retainedBucket, "", func(topic string, v []byte) error {
		var k keptRetained
		if err := json.Unmarshal(v, &k); err != nil {
			return fmt.Errorf("retained message of %s: %w", topic, err)
		}
		h.s.retained.modified.Store(topic, k.Modified)
		out = append(out, k.Message)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("restore retained messages: %w", err)
	}
	return out, nil
}
