package iotemu

import (
	"fmt"
	"slices"
	"time"

	"github.com/stepwire/stepwire/emulator/iotemu/policy"
)

// PolicyInfo describes a policy; Document is its default version's.
type PolicyInfo struct {
	Name, ARN, Document string
	DefaultVersionID    string
	Created, Modified   time.Time
}

func (p *storedPolicy) info() PolicyInfo {
	return PolicyInfo{Name: p.name, ARN: p.arn, Document: p.doc, DefaultVersionID: p.defaultID,
		Created: p.created, Modified: p.modified}
}

// CreatePolicy stores a policy document after checking it parses.
func (s *Service) CreatePolicy(name, document string) error {
	if !policyNameRE.MatchString(name) {
		return fmt.Errorf("create policy %q: %w: bad policy name", name, ErrInvalidRequest)
	}
	p, err := policy.Parse(document)
	if err != nil {
		return fmt.Errorf("create policy %q: %w: %v", name, ErrMalformedPolicy, err)
	}
	p.Name = name
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.policies[name]; ok {
		return fmt.Errorf("create policy %q: %w", name, ErrAlreadyExists)
	}
	now := s.cfg.Clock.Now()
	r.policies[name] = &storedPolicy{name: name, arn: s.arn("policy/" + name), doc: document, compiled: p,
		created: now, modified: now, defaultID: "1", nextVersion: 2,
		versions: []policyVersion{{id: "1", doc: document, created: now, compiled: p}}}
	r.gen.Add(1)
	return nil
}

// GetPolicy returns one policy.
func (s *Service) GetPolicy(name string) (PolicyInfo, error) {
	r := s.reg
	r.mu.RLock()
	defer r.mu.RUnlock()
	p, ok := r.policies[name]
	if !ok {
		return PolicyInfo{}, fmt.Errorf("get policy %q: %w", name, ErrNotFound)
	}
	return p.info(), nil
}

// ListPolicies lists policies by name.
func (s *Service) ListPolicies(marker string, pageSize int, ascending bool) ([]PolicyInfo, string, error) {
	r := s.reg
	r.mu.RLock()
	names := sortedKeys(r.policies)
	if !ascending {
		slices.Reverse(names)
	}
	all := make([]PolicyInfo, len(names))
	for i, n := range names {
		p := r.policies[n]
		all[i] = p.info()
	}
	r.mu.RUnlock()
	return page(all, marker, pageSize)
}

// DeletePolicy deletes a policy attached to no certificate and with no
// version but the default (docs/iot-core.md §8.2).
func (s *Service) DeletePolicy(name string) error {
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	p, ok := r.policies[name]
	if !ok {
		return fmt.Errorf("delete policy %q: %w", name, ErrNotFound)
	}
	if len(p.versions) > 1 {
		return fmt.Errorf("delete policy %q: %w: the policy has %d versions; delete all but the default first",
			name, ErrDeleteConflict, len(p.versions))
	}
	for _, c := range r.certs {
		if slices.Contains(c.policies, name) {
			return fmt.Errorf("delete policy %q: %w: attached to certificate %s", name, ErrDeleteConflict, c.id)
		}
	}
	delete(r.policies, name)
	r.gen.Add(1)
	return nil
}

// AttachPolicy attaches a policy to a certificate (by ARN or id).
func (s *Service) AttachPolicy(policyName, target string) error {
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := r.policyTarget("attach", "to", policyName, target)
	if err != nil {
		return err
	}
	if slices.Contains(c.policies, policyName) {
		return nil
	}
	if len(c.policies) >= maxPoliciesPerTarget {
		return fmt.Errorf("attach policy %q: %w: a certificate holds at most %d policies", policyName, ErrLimitExceeded, maxPoliciesPerTarget)
	}
	c.policies = append(c.policies, policyName)
	r.gen.Add(1)
	return nil
}

// DetachPolicy detaches a policy from a certificate.
func (s *Service) DetachPolicy(policyName, target string) error {
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := r.policyTarget("detach", "from", policyName, target)
	if err != nil {
		return err
	}
	c.policies = slices.DeleteFunc(c.policies, func(p string) bool { return p == policyName })
	r.gen.Add(1)
	return nil
}

// policyTarget finds the policy and the certificate (by ARN or id) that an
// attach or detach names. r.mu is held.
func (r *registry) policyTarget(op, prep, policyName, target string) (*certificate, error) {
	if _, ok := r.policies[policyName]; !ok {
		return nil, fmt.Errorf("%s policy %q: %w: no such policy", op, policyName, ErrNotFound)
	}
	c, ok := r.certs[certIDFromARN(target)]
	if !ok {
		return nil, fmt.Errorf("%s policy %q %s %q: %w: no such certificate", op, policyName, prep, target, ErrNotFound)
	}
	return c, nil
}

// ListAttachedPolicies lists the policies attached to a certificate.
func (s *Service) ListAttachedPolicies(target, marker string, pageSize int) ([]PolicyInfo, string, error) {
	r := s.reg
	r.mu.RLock()
	c, ok := r.certs[certIDFromARN(target)]
	if !ok {
		r.mu.RUnlock()
		return nil, "", fmt.Errorf("list attached policies of %q: %w", target, ErrNotFound)
	}
	var all []PolicyInfo
	for _, n := range c.policies {
		if p, ok := r.policies[n]; ok {
			all = append(all, p.info())
		}
	}
	r.mu.RUnlock()
	return page(all, marker, pageSize)
}
