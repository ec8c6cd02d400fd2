package iotemu

import (
	"bytes"
	"context"
	"encoding/json"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/stepwire/stepwire/emulator/iotemu/rules"
)

// rulesHook feeds every published message (from MQTT clients and from the
// data-plane Publish, which uses the inline client) to the topic rules.
// It runs after delivery to subscribers and never blocks the publisher:
// actions are invoked on their own goroutines.
type rulesHook struct {
	mqtt.HookBase
	s *Service
}

func (h *rulesHook) ID() string { return "stepwire-iot-rules" }

func (h *rulesHook) Provides(b byte) bool { return b == mqtt.OnPublished }

func (h *rulesHook) OnPublished(cl *mqtt.Client, pk packets.Packet) {
	h.s.runRules(cl, pk)
}

func (s *Service) runRules(cl *mqtt.Client, pk packets.Packet) {
	set := *s.reg.ruleSet.Load()
	if len(set) == 0 {
		return
	}
	msg := rules.Message{Topic: pk.TopicName, Payload: pk.Payload}
	if !cl.Net.Inline {
		msg.ClientID = cl.ID
	}
	var logged bool
	for _, r := range set {
		if !r.query.Matches(pk.TopicName) {
			continue
		}
		if !logged && !cl.Net.Inline {
			s.log.Info("hop", "hop", "result", "client", cl.ID, "topic", pk.TopicName)
			logged = true
		}
		if msg.Timestamp == 0 {
			msg.Timestamp = s.cfg.Clock.Now().UnixMilli()
		}
		event, ok := r.query.Apply(msg)
		if !ok {
			continue
		}
		s.runActions(r, pk.TopicName, event)
	}
}

// runActions invokes the rule's Lambda actions. Lambda accepts only JSON
// (reference §4.3): a non-JSON result is logged and not delivered.
func (s *Service) runActions(r *storedRule, topic string, event []byte) {
	if !json.Valid(event) {
		s.log.Info("rule action skipped: payload is not JSON", "rule", r.name, "topic", topic)
		return
	}
	if s.cfg.InvokeAsync == nil {
		s.log.Info("rule action skipped: no Lambda invoker configured", "rule", r.name)
		return
	}
	// The payload buffer belongs to mochi's packet; the action gets a copy.
	event = bytes.Clone(event)
	for _, a := range r.rule.Actions {
		fn := a.LambdaFunctionArn
		s.log.Info("hop", "hop", "rule", "rule", r.name, "function", fn)
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			if err := s.cfg.InvokeAsync(context.Background(), fn, event); err != nil {
				s.log.Warn("rule action failed", "rule", r.name, "function", fn, "error", err)
			}
		}()
	}
}
