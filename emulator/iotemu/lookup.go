package iotemu

import (
	"fmt"
	"maps"
	"sort"
)

// thingView is a copy of a thing for readers.
type thingView struct {
	Name, ARN, ID string
	Attributes    map[string]string
	Version       int64
}

func (r *registry) describeThing(name string) (thingView, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	th, ok := r.things[name]
	if !ok {
		return thingView{}, fmt.Errorf("describe thing %q: %w", name, ErrNotFound)
	}
	return thingView{Name: th.name, ARN: th.arn, ID: th.id, Attributes: maps.Clone(th.attributes), Version: th.version}, nil
}

func (r *registry) getPolicy(name string) (storedPolicy, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	p, ok := r.policies[name]
	if !ok {
		return storedPolicy{}, fmt.Errorf("get policy %q: %w", name, ErrNotFound)
	}
	return *p, nil
}

func (r *registry) describeCertificate(id string) (certificate, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	c, ok := r.certs[id]
	if !ok {
		return certificate{}, fmt.Errorf("describe certificate %s: %w", id, ErrNotFound)
	}
	out := *c
	out.policies = append([]string(nil), c.policies...)
	return out, nil
}

func (r *registry) getRule(name string) (storedRule, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	sr, ok := r.rules[name]
	if !ok {
		return storedRule{}, fmt.Errorf("get topic rule %q: %w", name, ErrNotFound)
	}
	return *sr, nil
}

// thingPrincipals lists the certificate ARNs attached to a thing.
func (r *registry) thingPrincipals(name string) ([]string, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	th, ok := r.things[name]
	if !ok {
		return nil, fmt.Errorf("list thing principals %q: %w", name, ErrNotFound)
	}
	out := make([]string, 0, len(th.principals))
	for p := range th.principals {
		out = append(out, p)
	}
	sort.Strings(out)
	return out, nil
}
