package iotemu

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"time"

	"github.com/stepwire/stepwire/emulator/iotemu/policy"
)

// The registry is kept in the store as one JSON snapshot, written after
// each control-plane call that changed it and before the call answers
// (docs/durability.md §4). A new registry field is one field here and one
// line in snapshot and restore.

const (
	storeBucket = "iot"
	registryKey = "registry"
)

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

// snapshot encodes the registry, entries sorted so that an unchanged
// registry encodes to the same bytes.
func (r *registry) snapshot() ([]byte, error) {
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
	return json.Marshal(s)
}

// restore replaces the registry's entries with a snapshot's, compiling
// policies and rules and re-reading certificates as when they were made.
func (s *Service) restore(b []byte) error {
	var snap registrySnapshot
	if err := json.Unmarshal(b, &snap); err != nil {
		return fmt.Errorf("restore iot registry: %w", err)
	}
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
	b, ok, err := s.store.Load()
	if err != nil || !ok {
		return err
	}
	return s.restore(b)
}

// SaveRegistry writes the registry to the store if it changed; the
// control-plane API does it after each call, Go callers that change the
// registry call it themselves.
// Without Config.Store it does nothing.
func (s *Service) SaveRegistry() error {
	if s.store == nil {
		return nil
	}
	return s.store.Save(s.reg.snapshot)
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
