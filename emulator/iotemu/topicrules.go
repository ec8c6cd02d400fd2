package iotemu

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/stepwire/stepwire/emulator/iotemu/rules"
	"github.com/stepwire/stepwire/internal/hop"
	"github.com/stepwire/stepwire/internal/jsonobj"
)

// rulesHook feeds every published message (from MQTT clients and from the
// data-plane Publish, which uses the inline client) to the topic rules,
// and every Last Will the broker sends for a client (docs/iot-core.md §8.6).
// It runs after delivery to subscribers and never blocks the publisher:
// a firing rule runs its actions on a goroutine of its own.
type rulesHook struct {
	mqtt.HookBase
	s *Service
}

func (h *rulesHook) ID() string { return "stepwire-iot-rules" }

func (h *rulesHook) Provides(b byte) bool { return b == mqtt.OnPublished || b == mqtt.OnWillSent }

func (h *rulesHook) OnPublished(cl *mqtt.Client, pk packets.Packet) {
	h.s.runRules(cl, pk)
}

// OnWillSent runs the rules on a Last Will as on any publish: IoT Core's
// rules engine sees the will as a message of the client that set it.
// mochi calls it after delivering the will, before OnDisconnect, so the
// client's principal is still known.
func (h *rulesHook) OnWillSent(cl *mqtt.Client, pk packets.Packet) {
	h.s.runRules(cl, pk)
}

// republishPrefix names the inline clients that publish a rule's
// republish action; a rule never fires on its own republished messages.
const republishPrefix = "$stepwire/republish/"

// errRuleAction marks action failures; its text leads the errorMessage
// of the failure an errorAction receives.
var errRuleAction = errors.New("iotemu: rule action failed")

func (s *Service) runRules(cl *mqtt.Client, pk packets.Packet) {
	set := *s.reg.ruleSet.Load()
	if len(set) == 0 {
		return
	}
	var msg *rules.Message
	for _, r := range set {
		if !r.query.Matches(pk.TopicName) || cl.ID == republishPrefix+r.name {
			continue
		}
		if msg == nil {
			msg = s.ruleMessage(cl, pk)
			if !cl.Net.Inline && s.hopsOn() {
				hop.Log(context.Background(), s.log, "result", "client", cl.ID, "topic", pk.TopicName)
			}
		}
		event, ok := r.query.Apply(*msg)
		if !ok {
			continue
		}
		// The payload buffer belongs to mochi's packet; actions get copies.
		event = bytes.Clone(event)
		fired := *msg
		fired.Payload = bytes.Clone(pk.Payload)
		if !s.actions.Go(func() { s.runActions(r, fired, event) }) {
			s.log.Warn("service closed: rule action dropped", "rule", r.name, "topic", pk.TopicName)
			return
		}
	}
}

func (s *Service) ruleMessage(cl *mqtt.Client, pk packets.Packet) *rules.Message {
	m := &rules.Message{Topic: pk.TopicName, Payload: pk.Payload, Timestamp: s.cfg.Clock.Now().UnixMilli(), NewUUID: newID}
	if !cl.Net.Inline {
		m.ClientID = cl.ID
		if p := s.hook.principalOf(cl); p != nil {
			m.Principal = p.id()
		}
	}
	return m
}

// actionFailure is one entry of an errorAction message's failures.
type actionFailure struct {
	FailedAction   string `json:"failedAction"`
	FailedResource string `json:"failedResource"`
	ErrorMessage   string `json:"errorMessage"`
}

// runActions runs a firing rule's actions, then its errorAction once if
// any failed, with IoT Core's error payload (docs/iot-core.md §4.2).
func (s *Service) runActions(r *storedRule, msg rules.Message, event []byte) {
	var failures []actionFailure
	for _, a := range r.rule.Actions {
		if f := s.runAction(r, a, msg, event); f != nil {
			failures = append(failures, *f)
		}
	}
	if len(failures) == 0 {
		return
	}
	if r.rule.ErrorAction == nil {
		return
	}
	clientID := msg.ClientID
	if clientID == "" {
		clientID = "n/a"
	}
	payload, _ := json.Marshal(map[string]any{
		"ruleName": r.name, "topic": msg.Topic, "cloudwatchTraceId": newID(), "clientId": clientID,
		"base64OriginalPayload": base64.StdEncoding.EncodeToString(msg.Payload), "failures": failures,
	})
	if f := s.runAction(r, *r.rule.ErrorAction, msg, payload); f != nil {
		s.log.Warn("rule errorAction failed", "rule", r.name, "action", f.FailedAction, "error", f.ErrorMessage)
	}
}

// runAction runs one action and describes its failure, if any.
func (s *Service) runAction(r *storedRule, a Action, msg rules.Message, event []byte) *actionFailure {
	kind, resource, err := s.doAction(r, a, msg, event)
	s.recordRuleRun(r.name, msg.Topic, kind, resource, err)
	if err == nil {
		return nil
	}
	s.log.Warn("rule action failed", "rule", r.name, "action", kind, "resource", resource, "error", err)
	return &actionFailure{FailedAction: kind, FailedResource: resource, ErrorMessage: err.Error()}
}

func (s *Service) doAction(r *storedRule, a Action, msg rules.Message, event []byte) (kind, resource string, err error) {
	ctx := context.Background()
	switch {
	case a.LambdaFunctionArn != "":
		kind, resource = "LambdaAction", a.LambdaFunctionArn
		fn, err := rules.Expand(a.LambdaFunctionArn, msg)
		if err != nil {
			return kind, resource, fmt.Errorf("%w: functionArn: %v", errRuleAction, err)
		}
		resource = fn
		if !jsonobj.Valid(event) {
			return kind, resource, fmt.Errorf("%w: Lambda accepts only JSON and the SELECT result is not JSON", errRuleAction)
		}
		if s.cfg.InvokeAsync == nil {
			return kind, resource, fmt.Errorf("%w: no Lambda invoker configured", errRuleAction)
		}
		if s.hopsOn() {
			hop.Log(ctx, s.log, "rule", "rule", r.name, "function", resource)
		}
		return kind, resource, s.cfg.InvokeAsync(ctx, resource, event)
	case a.StepFunctions != nil:
		kind, resource = "StepFunctionsAction", a.StepFunctions.StateMachineName
		if !jsonobj.Valid(event) {
			return kind, resource, fmt.Errorf("%w: execution input must be JSON", errRuleAction)
		}
		if s.cfg.StartExecution == nil {
			return kind, resource, fmt.Errorf("%w: no Step Functions starter configured", errRuleAction)
		}
		prefix, err := rules.Expand(a.StepFunctions.ExecutionNamePrefix, msg)
		if err != nil {
			return kind, resource, fmt.Errorf("%w: executionNamePrefix: %v", errRuleAction, err)
		}
		name := prefix + newID()
		if s.hopsOn() {
			hop.Log(ctx, s.log, "rule", "rule", r.name, "stateMachine", resource, "execution", name)
		}
		return kind, resource, s.cfg.StartExecution(ctx, resource, name, string(event))
	case a.Republish != nil:
		kind = "RepublishAction"
		topic, err := rules.Expand(a.Republish.Topic, msg)
		resource = topic
		if err == nil {
			err = validTopic(topic)
		}
		if err != nil {
			return kind, a.Republish.Topic, fmt.Errorf("%w: topic: %v", errRuleAction, err)
		}
		return kind, resource, s.republish(r.name, topic, event, byte(a.Republish.Qos))
	}
	return a.Kind, "", fmt.Errorf("%w: stepwire does not run %s actions", errRuleAction, a.Kind)
}

// republish publishes through an inline client named after the rule.
func (s *Service) republish(rule, topic string, payload []byte, qos byte) error {
	cl := s.broker.NewClient(nil, "local", republishPrefix+rule, true)
	return s.broker.InjectPacket(cl, packets.Packet{
		FixedHeader: packets.FixedHeader{Type: packets.Publish, Qos: qos},
		TopicName:   topic,
		Payload:     payload,
		PacketID:    1, // required at QoS 1; inline clients keep no session state
	})
}

// hopsOn reports whether hop lines are logged; callers check it before
// building attributes so a quiet broker allocates nothing for them.
func (s *Service) hopsOn() bool { return s.log.Enabled(context.Background(), slog.LevelInfo) }
