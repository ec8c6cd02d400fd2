package iotemu

import (
	"sort"
	"sync"
	"sync/atomic"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/stepwire/stepwire/emulator/iotemu/policy"
)

// What the broker did lately, for the console: bounded rings of the
// messages published, the policy decisions taken and the rule actions
// run, and the connected clients. Read-only views; nothing here changes
// what the broker does.

// Ring sizes.
const (
	recentMessages  = 500
	recentDecisions = 1000
	recentRuleRuns  = 500
	// previewBytes is how much of a payload a recent message keeps.
	previewBytes = 512
)

// MessageRecord is one message published to the broker.
type MessageRecord struct {
	Seq      uint64
	Time     time.Time
	Topic    string
	ClientID string // "" for the data plane and rules
	Preview  []byte // the payload's first previewBytes
	Size     int
	QoS      byte
	Retain   bool
}

// DecisionRecord is one policy decision on a client's action.
type DecisionRecord struct {
	Seq                        uint64
	Time                       time.Time
	ClientID, Action, Resource string
	Allowed, ExplicitDeny      bool
	// Statement is the deciding "<policy>/<sid>"; empty for an implicit
	// deny.
	Statement string
}

// RuleRunRecord is one action of a topic rule, run for a message.
type RuleRunRecord struct {
	Seq                         uint64
	Time                        time.Time
	Rule, Topic, Kind, Resource string
	Error                       string // "" when the action succeeded
}

// ClientInfo is a connected MQTT client.
type ClientInfo struct {
	ClientID, CertificateID, Thing string
	CertificateStatus              string
	IAM                            string // access key id of a SigV4 WebSocket client
	Protocol                       byte   // MQTT protocol version: 4 (3.1.1) or 5
	WebSocket                      bool
	Since                          time.Time
	Subscriptions                  []string
}

// ring is a bounded list, newest last.
type ring[T any] struct {
	items []T
	next  int
	full  bool
}

func (r *ring[T]) add(size int, v T) {
	if r.items == nil {
		r.items = make([]T, size)
	}
	r.items[r.next] = v
	r.next = (r.next + 1) % size
	r.full = r.full || r.next == 0
}

func (r *ring[T]) list() []T {
	if !r.full {
		return append([]T(nil), r.items[:r.next]...)
	}
	return append(append([]T(nil), r.items[r.next:]...), r.items[:r.next]...)
}

// activity keeps the rings.
type activity struct {
	seq       atomic.Uint64
	mu        sync.Mutex
	messages  ring[MessageRecord]
	decisions ring[DecisionRecord]
	ruleRuns  ring[RuleRunRecord]
	since     syncMap[*mqtt.Client, time.Time]
}

// activityHook records published messages and connection times.
type activityHook struct {
	mqtt.HookBase
	s *Service
}

func (h *activityHook) ID() string { return "stepwire-iot-activity" }

func (h *activityHook) Provides(b byte) bool {
	return b == mqtt.OnPublished || b == mqtt.OnSessionEstablished || b == mqtt.OnDisconnect
}

func (h *activityHook) OnSessionEstablished(cl *mqtt.Client, _ packets.Packet) {
	h.s.activity.since.Store(cl, h.s.cfg.Clock.Now())
	h.s.activity.seq.Add(1)
}

func (h *activityHook) OnDisconnect(cl *mqtt.Client, _ error, _ bool) {
	h.s.activity.since.Delete(cl)
	h.s.activity.seq.Add(1)
}

func (h *activityHook) OnPublished(cl *mqtt.Client, pk packets.Packet) {
	a := &h.s.activity
	m := MessageRecord{Seq: a.seq.Add(1), Time: h.s.cfg.Clock.Now(), Topic: pk.TopicName, Size: len(pk.Payload),
		QoS: pk.FixedHeader.Qos, Retain: pk.FixedHeader.Retain}
	m.Preview = append([]byte(nil), pk.Payload[:min(len(pk.Payload), previewBytes)]...)
	if cl != nil && !cl.Net.Inline {
		m.ClientID = cl.ID
	}
	a.mu.Lock()
	a.messages.add(recentMessages, m)
	a.mu.Unlock()
}

func (s *Service) recordDecision(p *principal, action, resource string, d policy.Decision) {
	a := &s.activity
	r := DecisionRecord{Seq: a.seq.Add(1), Time: s.cfg.Clock.Now(), ClientID: p.clientID, Action: action, Resource: resource,
		Allowed: d.Allowed, ExplicitDeny: d.ExplicitDeny, Statement: d.Statement}
	a.mu.Lock()
	a.decisions.add(recentDecisions, r)
	a.mu.Unlock()
}

func (s *Service) recordRuleRun(rule, topic, kind, resource string, err error) {
	a := &s.activity
	r := RuleRunRecord{Seq: a.seq.Add(1), Time: s.cfg.Clock.Now(), Rule: rule, Topic: topic, Kind: kind, Resource: resource}
	if err != nil {
		r.Error = err.Error()
	}
	a.mu.Lock()
	a.ruleRuns.add(recentRuleRuns, r)
	a.mu.Unlock()
}

// ActivitySeq changes whenever a message, a decision, a rule run, a
// connection or the registry changes: a cheap "anything new?".
func (s *Service) ActivitySeq() uint64 { return s.activity.seq.Load() + s.reg.gen.Load()<<32 }

// RecentMessages returns the last messages published, oldest first.
func (s *Service) RecentMessages() []MessageRecord {
	s.activity.mu.Lock()
	defer s.activity.mu.Unlock()
	return s.activity.messages.list()
}

// RecentDecisions returns the last policy decisions, oldest first.
func (s *Service) RecentDecisions() []DecisionRecord {
	s.activity.mu.Lock()
	defer s.activity.mu.Unlock()
	return s.activity.decisions.list()
}

// RecentRuleRuns returns the last rule actions run, oldest first.
func (s *Service) RecentRuleRuns() []RuleRunRecord {
	s.activity.mu.Lock()
	defer s.activity.mu.Unlock()
	return s.activity.ruleRuns.list()
}

// Clients lists the connected clients by client id.
func (s *Service) Clients() []ClientInfo {
	var out []ClientInfo
	s.hook.conns.Range(func(cl *mqtt.Client, p *principal) bool {
		if cl.Closed() || cl.Net.Inline {
			return true
		}
		out = append(out, s.clientInfo(cl, p))
		return true
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ClientID < out[j].ClientID })
	return out
}

func (s *Service) clientInfo(cl *mqtt.Client, p *principal) ClientInfo {
	ci := ClientInfo{ClientID: cl.ID, CertificateID: p.certID, IAM: p.iam, Protocol: cl.Properties.ProtocolVersion,
		WebSocket: cl.Net.Listener == wsListenerID}
	ci.Since, _ = s.activity.since.Load(cl)
	p.mu.Lock()
	ci.Thing = p.vars["iot:Connection.Thing.ThingName"]
	p.mu.Unlock()
	if c, err := s.DescribeCertificate(p.certID); err == nil {
		ci.CertificateStatus = c.Status
	}
	for f := range cl.State.Subscriptions.GetAll() {
		ci.Subscriptions = append(ci.Subscriptions, f)
	}
	sort.Strings(ci.Subscriptions)
	return ci
}
