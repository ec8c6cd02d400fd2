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
	for _, g := range r.groups {
		if slices.Contains(g.policies, name) {
			return fmt.Errorf("delete policy %q: %w: attached to thing group %s", name, ErrDeleteConflict, g.name)
		}
	}
	delete(r.policies, name)
	r.gen.Add(1)
	return nil
}

// AttachPolicy attaches a policy to a certificate (by ARN or id) or to a
// thing group (by ARN, docs/iot-core.md §8.1).
func (s *Service) AttachPolicy(policyName, target string) error {
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	ps, err := r.policyTarget("attach", "to", policyName, target)
	if err != nil {
		return err
	}
	if slices.Contains(*ps, policyName) {
		return nil
	}
	if len(*ps) >= maxPoliciesPerTarget {
		return fmt.Errorf("attach policy %q: %w: a target holds at most %d policies", policyName, ErrLimitExceeded, maxPoliciesPerTarget)
	}
	*ps = append(*ps, policyName)
	r.gen.Add(1)
	return nil
}

// DetachPolicy detaches a policy from a certificate or thing group.
func (s *Service) DetachPolicy(policyName, target string) error {
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	ps, err := r.policyTarget("detach", "from", policyName, target)
	if err != nil {
		return err
	}
	*ps = slices.DeleteFunc(*ps, func(p string) bool { return p == policyName })
	r.gen.Add(1)
	return nil
}

// policyTarget finds the policy and the policy list of the certificate
// (by ARN or id) or thing group (by ARN) that an attach or detach names.
// r.mu is held.
func (r *registry) policyTarget(op, prep, policyName, target string) (*[]string, error) {
	if _, ok := r.policies[policyName]; !ok {
		return nil, fmt.Errorf("%s policy %q: %w: no such policy", op, policyName, ErrNotFound)
	}
	return r.targetPolicies(fmt.Sprintf("%s policy %q %s %q", op, policyName, prep, target), target)
}

// targetPolicies returns the policy list of a certificate or thing group.
// r.mu is held.
func (r *registry) targetPolicies(what, target string) (*[]string, error) {
	if name, ok := groupFromTarget(target); ok {
		g, ok := r.groups[name]
		if !ok {
			return nil, fmt.Errorf("%s: %w: no such thing group", what, ErrNotFound)
		}
		return &g.policies, nil
	}
	c, ok := r.certs[certIDFromARN(target)]
	if !ok {
		return nil, fmt.Errorf("%s: %w: no such certificate", what, ErrNotFound)
	}
	return &c.policies, nil
}

// ListAttachedPolicies lists the policies attached to a certificate.
func (s *Service) ListAttachedPolicies(target, marker string, pageSize int) ([]PolicyInfo, string, error) {
	r := s.reg
	r.mu.RLock()
	ps, err := r.targetPolicies(fmt.Sprintf("list attached policies of %q", target), target)
	if err != nil {
		r.mu.RUnlock()
		return nil, "", err
	}
	var all []PolicyInfo
	for _, n := range *ps {
		if p, ok := r.policies[n]; ok {
			all = append(all, p.info())
		}
	}
	r.mu.RUnlock()
	return page(all, marker, pageSize)
}
