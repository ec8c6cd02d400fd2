package events

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
	"github.com/stepwire/stepwire/emulator/events/pattern"
	"github.com/stepwire/stepwire/internal/jsonobj"
)

// envelope is an event as rules see it and targets receive it
// (docs/eventbridge.md §1), members in AWS's order.
type envelope struct {
	Version    string          `json:"version"`
	ID         string          `json:"id"`
	DetailType string          `json:"detail-type"`
	Source     string          `json:"source"`
	Account    string          `json:"account"`
	Time       string          `json:"time"`
	Region     string          `json:"region"`
	Resources  []string        `json:"resources"`
	Detail     json.RawMessage `json:"detail"`
}

// timeLayout is the envelope's time: UTC, whole seconds.
const timeLayout = "2006-01-02T15:04:05Z"

// delivery is one payload for one target.
type delivery struct {
	rule, target string
	payload      []byte
}

// queue holds deliveries in the order their events were put; one drainer
// at a time hands them to Config.Deliver.
type queue struct {
	mu       sync.Mutex
	items    []delivery
	draining bool
}

// Pending reports the deliveries queued or being handed to Config.Deliver
// (the drainer counts as one more from when it is started): zero exactly
// when every event put so far has reached its targets. Test harnesses on
// virtual time read it to tell whether work is in flight.
func (s *Service) Pending() int {
	s.queue.mu.Lock()
	defer s.queue.mu.Unlock()
	n := len(s.queue.items)
	if s.queue.draining {
		n++ // the drainer, and the delivery it holds
	}
	return n
}

// emit matches an event against the enabled rules and queues a delivery
// for each of their targets.
func (s *Service) emit(id string, e Event) {
	if !s.anyTargets() {
		return // no rule could deliver it: skip rendering and matching
	}
	if e.Time.IsZero() {
		e.Time = s.cfg.Clock.Now()
	}
	flat, err := s.flatten(id, e, s.testedPaths())
	if err != nil {
		s.logger.Error("event not delivered", "id", id, "error", err)
		return
	}
	rules := s.matchingRules(flat)
	if len(rules) == 0 {
		return // matched without rendering: most events match no rule
	}
	doc, decoded, err := s.render(id, e)
	if err != nil {
		s.logger.Error("event not delivered", "id", id, "error", err)
		return
	}
	var out []delivery
	for _, r := range rules {
		for _, t := range r.targets {
			if d, ok := s.payload(r, t, doc, decoded); ok {
				out = append(out, d)
			}
		}
	}
	s.enqueue(out)
}

// flatten builds the event rules match, the envelope render would write,
// from its parts. Of the detail, it decodes only the members that paths
// (the fields the rules test) reach into: the others cannot change a
// match.
func (s *Service) flatten(id string, e Event, paths []string) (*pattern.Event, error) {
	var tested []member // the last of each key, as in a decoded map
	err := jsonobj.Members(e.Detail, func(key string, raw []byte) {
		if !testedPath(paths, "detail", key) {
			return
		}
		m := member{key: key, raw: raw}
		for i := range tested {
			if tested[i].key == m.key {
				tested[i] = m
				return
			}
		}
		tested = append(tested, m)
	})
	if err != nil {
		return nil, fmt.Errorf("flatten event: %w", err)
	}
	flat := pattern.NewEvent(8 + len(e.Resources) + len(tested))
	flat.AddString("version", "0")
	flat.AddString("id", id)
	flat.AddString("detail-type", e.DetailType)
	flat.AddString("source", e.Source)
	flat.AddString("account", s.cfg.Account)
	flat.AddString("time", e.Time.UTC().Format(timeLayout))
	flat.AddString("region", s.cfg.Region)
	for _, r := range e.Resources {
		flat.AddString("resources", r)
	}
	for _, m := range tested {
		v, err := decodeDetail(m.raw)
		if err != nil {
			return nil, fmt.Errorf("flatten event: %w", err)
		}
		flat.AddValue("detail."+m.key, v)
	}
	return flat, nil
}

// member is one member of an event's detail: its key and the JSON text
// of its value.
type member struct {
	key string
	raw []byte
}

// testedPath reports whether one of paths is prefix.key or lies under it.
func testedPath(paths []string, prefix, key string) bool {
	n := len(prefix) + 1 + len(key)
	for _, p := range paths {
		if len(p) >= n && p[len(prefix)] == '.' && strings.HasPrefix(p, prefix) && p[len(prefix)+1:n] == key &&
			(len(p) == n || p[n] == '.') {
			return true
		}
	}
	return false
}

// testedPaths returns the fields that the patterns of the rules with
// targets test.
func (s *Service) testedPaths() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, r := range s.rules {
		if len(r.targets) > 0 && r.pattern != nil {
			out = append(out, r.pattern.Paths()...)
		}
	}
	return out
}

// decodeDetail decodes a detail with jsonv, or with encoding/json when it
// is not valid UTF-8 (encoding/json replaces the invalid bytes, as render's
// decoding does; jsonv keeps them).
func decodeDetail(doc []byte) (any, error) {
	if utf8.Valid(doc) {
		return jsonv.Decode(doc)
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

// render builds the envelope and decodes it for InputPath.
func (s *Service) render(id string, e Event) ([]byte, any, error) {
	res := e.Resources
	if res == nil {
		res = []string{}
	}
	doc, err := json.Marshal(envelope{Version: "0", ID: id, DetailType: e.DetailType, Source: e.Source,
		Account: s.cfg.Account, Time: e.Time.UTC().Format(timeLayout), Region: s.cfg.Region,
		Resources: res, Detail: e.Detail})
	if err != nil {
		return nil, nil, fmt.Errorf("render event: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, nil, fmt.Errorf("render event: %w", err)
	}
	return doc, v, nil
}

// anyTargets reports whether some rule has a target, without which an
// event goes nowhere.
func (s *Service) anyTargets() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.rules {
		if len(r.targets) > 0 {
			return true
		}
	}
	return false
}

// matchingRules returns the enabled rules that match, in name order.
func (s *Service) matchingRules(e *pattern.Event) []*rule {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*rule
	for _, r := range s.rules {
		if r.matches(e) && len(r.targets) > 0 {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b *rule) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// payload is what target t of rule r receives: the event, its Input, or
// the part InputPath selects (docs/eventbridge.md §4).
func (s *Service) payload(r *rule, t Target, doc []byte, decoded any) (delivery, bool) {
	d := delivery{rule: r.Name, target: t.Arn, payload: doc}
	switch {
	case t.Input != "":
		d.payload = []byte(t.Input)
	case t.InputPath != "":
		v, ok := selectPath(decoded, t.InputPath)
		if !ok {
			s.logger.Warn("event not delivered: InputPath selects nothing", "rule", r.Name, "target", t.ID, "inputPath", t.InputPath)
			return delivery{}, false
		}
		b, err := json.Marshal(v)
		if err != nil {
			return delivery{}, false
		}
		d.payload = b
	case t.InputTransformer != nil:
		s.logger.Warn("InputTransformer is not applied yet; delivering the whole event", "rule", r.Name, "target", t.ID)
	}
	return d, true
}

// enqueue adds deliveries and starts a drainer unless one runs.
func (s *Service) enqueue(ds []delivery) {
	if len(ds) == 0 {
		return
	}
	s.queue.mu.Lock()
	s.queue.items = append(s.queue.items, ds...)
	start := !s.queue.draining
	s.queue.draining = true
	s.queue.mu.Unlock()
	if start && !s.group.Go(s.drain) {
		s.queue.mu.Lock()
		s.queue.items, s.queue.draining = nil, false
		s.queue.mu.Unlock()
	}
}

// drain hands queued deliveries to Config.Deliver until the queue is empty
// or the service closes.
func (s *Service) drain() {
	for {
		s.queue.mu.Lock()
		if len(s.queue.items) == 0 || s.ctx.Err() != nil {
			s.queue.items, s.queue.draining = nil, false
			s.queue.mu.Unlock()
			return
		}
		d := s.queue.items[0]
		s.queue.items = s.queue.items[1:]
		s.queue.mu.Unlock()
		s.deliver(d)
	}
}

func (s *Service) deliver(d delivery) {
	if s.cfg.Deliver == nil {
		return
	}
	if err := s.cfg.Deliver(s.ctx, d.target, d.payload); err != nil {
		s.logger.Warn("event delivery failed", "rule", d.rule, "target", d.target, "error", err)
	}
}
