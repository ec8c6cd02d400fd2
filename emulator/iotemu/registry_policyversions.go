package iotemu

import (
	"fmt"
	"strconv"
	"time"

	"github.com/stepwire/stepwire/emulator/iotemu/policy"
)

// maxPolicyVersions is IoT Core's limit of versions kept for one policy,
// the default one included (docs/iot-core.md §8.2).
const maxPolicyVersions = 5

// policyVersion is one stored version of a policy document. compiled is
// derived from doc (policy.Parse) and need not be persisted.
type policyVersion struct {
	id       string
	doc      string
	created  time.Time
	compiled *policy.Policy
}

// PolicyVersionInfo describes one version of a policy.
type PolicyVersionInfo struct {
	PolicyName, PolicyARN, VersionID, Document string
	IsDefault                                  bool
	Created                                    time.Time
}

func (p *storedPolicy) versionInfo(v policyVersion) PolicyVersionInfo {
	return PolicyVersionInfo{PolicyName: p.name, PolicyARN: p.arn, VersionID: v.id, Document: v.doc,
		IsDefault: v.id == p.defaultID, Created: v.created}
}

// version finds a version by id.
func (p *storedPolicy) version(id string) (int, bool) {
	for i, v := range p.versions {
		if v.id == id {
			return i, true
		}
	}
	return 0, false
}

// setDefault makes version i the operative one.
func (p *storedPolicy) setDefault(i int) {
	v := p.versions[i]
	p.defaultID, p.doc, p.compiled = v.id, v.doc, v.compiled
}

// CreatePolicyVersion adds a version to a policy, the default one if
// setAsDefault. Version ids count up and are never reused.
func (s *Service) CreatePolicyVersion(name, document string, setAsDefault bool) (PolicyVersionInfo, error) {
	compiled, err := policy.Parse(document)
	if err != nil {
		return PolicyVersionInfo{}, fmt.Errorf("create policy version of %q: %w: %v", name, ErrMalformedPolicy, err)
	}
	compiled.Name = name
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	p, ok := r.policies[name]
	if !ok {
		return PolicyVersionInfo{}, fmt.Errorf("create policy version: %w: policy %s does not exist", ErrNotFound, name)
	}
	if len(p.versions) >= maxPolicyVersions {
		return PolicyVersionInfo{}, fmt.Errorf("%w: the policy %s already has the maximum number of versions (%d)",
			ErrVersionsLimitExceeded, name, maxPolicyVersions)
	}
	v := policyVersion{id: strconv.Itoa(p.nextVersion), doc: document, created: s.cfg.Clock.Now(), compiled: compiled}
	p.nextVersion++
	p.versions = append(p.versions, v)
	p.modified = v.created
	if setAsDefault {
		p.setDefault(len(p.versions) - 1)
		r.gen.Add(1)
	}
	return p.versionInfo(v), nil
}

// GetPolicyVersion returns one version of a policy.
func (s *Service) GetPolicyVersion(name, versionID string) (PolicyVersionInfo, error) {
	r := s.reg
	r.mu.RLock()
	defer r.mu.RUnlock()
	p, i, err := r.policyVersion("get policy version", name, versionID)
	if err != nil {
		return PolicyVersionInfo{}, err
	}
	return p.versionInfo(p.versions[i]), nil
}

// ListPolicyVersions lists a policy's versions, newest first as IoT Core
// lists them.
func (s *Service) ListPolicyVersions(name string) ([]PolicyVersionInfo, error) {
	r := s.reg
	r.mu.RLock()
	defer r.mu.RUnlock()
	p, ok := r.policies[name]
	if !ok {
		return nil, fmt.Errorf("list policy versions: %w: policy %s does not exist", ErrNotFound, name)
	}
	out := make([]PolicyVersionInfo, 0, len(p.versions))
	for i := len(p.versions) - 1; i >= 0; i-- {
		out = append(out, p.versionInfo(p.versions[i]))
	}
	return out, nil
}

// SetDefaultPolicyVersion makes a version the operative one; connections
// see it at their next decision.
func (s *Service) SetDefaultPolicyVersion(name, versionID string) error {
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	p, i, err := r.policyVersion("set default policy version", name, versionID)
	if err != nil {
		return err
	}
	p.setDefault(i)
	p.modified = s.cfg.Clock.Now()
	r.gen.Add(1)
	return nil
}

// DeletePolicyVersion deletes a version that is not the default.
func (s *Service) DeletePolicyVersion(name, versionID string) error {
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	p, i, err := r.policyVersion("delete policy version", name, versionID)
	if err != nil {
		return err
	}
	if p.versions[i].id == p.defaultID {
		return fmt.Errorf("%w: cannot delete the default version %s of policy %s", ErrDeleteConflict, versionID, name)
	}
	p.versions = append(p.versions[:i], p.versions[i+1:]...)
	return nil
}

// policyVersion finds a policy and the index of one of its versions.
// r.mu is held.
func (r *registry) policyVersion(op, name, versionID string) (*storedPolicy, int, error) {
	p, ok := r.policies[name]
	if !ok {
		return nil, 0, fmt.Errorf("%s: %w: policy %s does not exist", op, ErrNotFound, name)
	}
	i, ok := p.version(versionID)
	if !ok {
		return nil, 0, fmt.Errorf("%s: %w: version %s of policy %s does not exist", op, ErrNotFound, versionID, name)
	}
	return p, i, nil
}
