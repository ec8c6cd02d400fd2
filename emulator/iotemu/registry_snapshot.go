package iotemu

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/stepwire/stepwire/emulator/iotemu/policy"
)

// The registry is kept in the store one entity a key (cert/<id>,
// thing/<name>, policy/<name>, rule/<name>, each JSON), saved after each
// control-plane call that changed it and before the call answers; a save
// writes only the entities that changed (store.Entries,
// docs/durability.md §4). A new registry field is one field here and one
// line in state and restore.

// registryBucket holds the registry's entities.
const registryBucket = "iot-registry"

type registrySnapshot struct {
	Certificates []certSnapshot   `json:"certificates"`
	Things       []thingSnapshot  `json:"things"`
	Policies     []policySnapshot `json:"policies"`
	Rules        []ruleSnapshot   `json:"rules"`
}

type certSnapshot struct {
	ID, ARN, PEM, CAPEM, Status string
	Created, Modified           time.Time
	Policies                    []string `json:",omitempty"`
}

type thingSnapshot struct {
	Name, ARN, ID string
	Attributes    map[string]string `json:",omitempty"`
	Principals    []string          `json:",omitempty"`
	Version       int64
}

type policySnapshot struct {
	Name, ARN, Document string
	Created             time.Time
}

type ruleSnapshot struct {
	Name    string
	Rule    TopicRule
	Created time.Time
}

// state copies the registry's entities, sorted.
func (r *registry) state() registrySnapshot {
	r.mu.RLock()
	var s registrySnapshot
	for _, id := range sortedKeys(r.certs) {
		c := r.certs[id]
		s.Certificates = append(s.Certificates, certSnapshot{ID: c.id, ARN: c.arn, PEM: c.pem, CAPEM: c.caPEM,
			Status: c.status, Created: c.created, Modified: c.modified, Policies: slices.Clone(c.policies)})
	}
	for _, n := range sortedKeys(r.things) {
		th := r.things[n]
		s.Things = append(s.Things, thingSnapshot{Name: th.name, ARN: th.arn, ID: th.id,
			Attributes: maps.Clone(th.attributes), Principals: sortedKeys(th.principals), Version: th.version})
	}
	for _, n := range sortedKeys(r.policies) {
		p := r.policies[n]
		s.Policies = append(s.Policies, policySnapshot{Name: p.name, ARN: p.arn, Document: p.doc, Created: p.created})
	}
	for _, n := range sortedKeys(r.rules) {
		sr := r.rules[n]
		s.Rules = append(s.Rules, ruleSnapshot{Name: sr.name, Rule: sr.rule, Created: sr.created})
	}
	r.mu.RUnlock()
	return s
}

// entries encodes the registry one entity a key.
func (r *registry) entries() (map[string][]byte, error) {
	s := r.state()
	out := make(map[string][]byte, len(s.Certificates)+len(s.Things)+len(s.Policies)+len(s.Rules))
	put := func(key string, v any) error {
		b, err := json.Marshal(v)
		out[key] = b
		return err
	}
	var errs []error
	for _, c := range s.Certificates {
		errs = append(errs, put("cert/"+c.ID, c))
	}
	for _, th := range s.Things {
		errs = append(errs, put("thing/"+th.Name, th))
	}
	for _, p := range s.Policies {
		errs = append(errs, put("policy/"+p.Name, p))
	}
	for _, sr := range s.Rules {
		errs = append(errs, put("rule/"+sr.Name, sr))
	}
	return out, errors.Join(errs...)
}

// decodeEntries reads entities back, in key order.
func decodeEntries(all map[string][]byte) (registrySnapshot, error) {
	var s registrySnapshot
	for _, k := range sortedKeys(all) {
		kind, _, _ := strings.Cut(k, "/")
		var err error
		switch kind {
		case "cert":
			err = appendJSON(&s.Certificates, all[k])
		case "thing":
			err = appendJSON(&s.Things, all[k])
		case "policy":
			err = appendJSON(&s.Policies, all[k])
		case "rule":
			err = appendJSON(&s.Rules, all[k])
		default:
			err = errors.New("unknown kind of entity")
		}
		if err != nil {
			return s, fmt.Errorf("restore iot registry: %s: %w", k, err)
		}
	}
	return s, nil
}

func appendJSON[T any](to *[]T, b []byte) error {
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*to = append(*to, v)
	return nil
}

// restore adds a snapshot's entities to the registry, compiling policies
// and rules and re-reading certificates as when they were made.
func (s *Service) restore(snap registrySnapshot) error {
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range snap.Certificates {
		x, err := parseCertPEM("certificate "+c.ID, c.PEM)
		if err != nil {
			return fmt.Errorf("restore iot registry: %w", err)
		}
		e := s.newCertificate(x, c.PEM, c.CAPEM, c.Status)
		e.arn, e.created, e.modified, e.policies = c.ARN, c.Created, c.Modified, c.Policies
		r.certs[e.id] = e
	}
	for _, th := range snap.Things {
		principals := map[string]bool{}
		for _, p := range th.Principals {
			principals[p] = true
		}
		attrs := th.Attributes
		if attrs == nil {
			attrs = map[string]string{}
		}
		r.things[th.Name] = &thing{name: th.Name, arn: th.ARN, id: th.ID, attributes: attrs, principals: principals, version: th.Version}
	}
	for _, p := range snap.Policies {
		compiled, err := policy.Parse(p.Document)
		if err != nil {
			return fmt.Errorf("restore iot registry: policy %s: %w", p.Name, err)
		}
		compiled.Name = p.Name
		r.policies[p.Name] = &storedPolicy{name: p.Name, arn: p.ARN, doc: p.Document, compiled: compiled, created: p.Created}
	}
	for _, sr := range snap.Rules {
		compiled, err := s.compileRule(sr.Name, sr.Rule)
		if err != nil {
			return fmt.Errorf("restore iot registry: %w", err)
		}
		compiled.created = sr.Created
		r.rules[sr.Name] = compiled
	}
	r.publishRulesLocked()
	r.gen.Add(1)
	return nil
}

// loadRegistry restores the registry from the store, if it holds one.
func (s *Service) loadRegistry() error {
	if s.store == nil {
		return nil
	}
	all, err := s.store.Load()
	if err != nil {
		return err
	}
	snap, err := decodeEntries(all)
	if err != nil {
		return err
	}
	return s.restore(snap)
}

// SaveRegistry writes the registry to the store if it changed; the
// control-plane API does it after each call, Go callers that change the
// registry call it themselves.
// Without Config.Store it does nothing.
func (s *Service) SaveRegistry() error {
	if s.store == nil {
		return nil
	}
	return s.store.Save(s.reg.entries)
}

// controlPlane is the mux, wrapped by savingRegistry when the registry is
// kept in a store.
func (s *Service) controlPlane() http.Handler {
	if s.store == nil {
		return s.mux
	}
	return s.savingRegistry(s.mux)
}

// savingRegistry wraps the control plane: after a call that may have
// changed the registry (not a GET) and succeeded, it saves the registry
// before the answer leaves. A failed save turns the answer into a 500.
func (s *Service) savingRegistry(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		rec := &heldResponse{header: http.Header{}, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		if rec.status < 300 {
			if err := s.SaveRegistry(); err != nil {
				s.log.Error("registry not saved", "error", err)
				http.Error(w, `{"message":"registry not saved"}`, http.StatusInternalServerError)
				return
			}
		}
		maps.Copy(w.Header(), rec.header)
		w.WriteHeader(rec.status)
		_, _ = w.Write(rec.body.Bytes())
	})
}

// heldResponse holds a control-plane answer until the registry is saved.
type heldResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
	wrote  bool
}

func (h *heldResponse) Header() http.Header { return h.header }

func (h *heldResponse) WriteHeader(status int) {
	if !h.wrote {
		h.status, h.wrote = status, true
	}
}

func (h *heldResponse) Write(b []byte) (int, error) {
	h.wrote = true
	return h.body.Write(b)
}
