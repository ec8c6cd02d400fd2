package iotemu

import (
	"fmt"
	"maps"
	"sort"
)

// ThingInfo describes a thing.
type ThingInfo struct {
	Name, ARN, ID string
	Attributes    map[string]string
	Version       int64
}

func (th *thing) info() ThingInfo {
	return ThingInfo{Name: th.name, ARN: th.arn, ID: th.id, Attributes: maps.Clone(th.attributes), Version: th.version}
}

// CreateThing registers a thing with attributes.
func (s *Service) CreateThing(name string, attributes map[string]string) error {
	if !thingNameRE.MatchString(name) {
		return fmt.Errorf("create thing %q: %w: thing names match [a-zA-Z0-9:_-]{1,128}", name, ErrInvalidRequest)
	}
	if len(attributes) > 50 {
		return fmt.Errorf("create thing %q: %w: at most 50 attributes", name, ErrInvalidRequest)
	}
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.things[name]; ok {
		return fmt.Errorf("create thing %q: %w", name, ErrAlreadyExists)
	}
	attrs := make(map[string]string, len(attributes))
	maps.Copy(attrs, attributes)
	r.things[name] = &thing{name: name, arn: s.arn("thing/" + name), id: newID(), attributes: attrs, principals: map[string]bool{}, version: 1}
	r.gen.Add(1)
	return nil
}

// DescribeThing returns one thing.
func (s *Service) DescribeThing(name string) (ThingInfo, error) {
	r := s.reg
	r.mu.RLock()
	defer r.mu.RUnlock()
	th, ok := r.things[name]
	if !ok {
		return ThingInfo{}, fmt.Errorf("describe thing %q: %w", name, ErrNotFound)
	}
	return th.info(), nil
}

// ListThings lists things by name; a non-empty attribute name keeps only
// things whose attribute has the given value.
func (s *Service) ListThings(marker string, max int, attrName, attrValue string) ([]ThingInfo, string, error) {
	r := s.reg
	r.mu.RLock()
	var all []ThingInfo
	for _, name := range sortedKeys(r.things) {
		th := r.things[name]
		if attrName != "" && th.attributes[attrName] != attrValue {
			continue
		}
		all = append(all, th.info())
	}
	r.mu.RUnlock()
	return page(all, marker, max)
}

// DeleteThing deletes a thing with no attached principals.
func (s *Service) DeleteThing(name string) error {
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	th, ok := r.things[name]
	if !ok {
		return nil // DeleteThing of a missing thing succeeds in IoT Core
	}
	if len(th.principals) > 0 {
		return fmt.Errorf("delete thing %q: %w: principals are attached", name, ErrInvalidRequest)
	}
	delete(r.things, name)
	for _, g := range r.groups {
		delete(g.things, name)
	}
	r.gen.Add(1)
	return nil
}

// AttachThingPrincipal attaches a certificate (by ARN or id) to a thing.
func (s *Service) AttachThingPrincipal(thingName, principal string) error {
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	th, ok := r.things[thingName]
	if !ok {
		return fmt.Errorf("attach thing principal: thing %q: %w", thingName, ErrNotFound)
	}
	c, ok := r.certs[certIDFromARN(principal)]
	if !ok {
		return fmt.Errorf("attach thing principal: certificate %q: %w", principal, ErrNotFound)
	}
	if !th.principals[c.arn] {
		th.principals[c.arn] = true
		r.gen.Add(1)
	}
	return nil
}

// DetachThingPrincipal detaches a certificate from a thing.
func (s *Service) DetachThingPrincipal(thingName, principal string) error {
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	th, ok := r.things[thingName]
	if !ok {
		return fmt.Errorf("detach thing principal: thing %q: %w", thingName, ErrNotFound)
	}
	c, ok := r.certs[certIDFromARN(principal)]
	if !ok {
		return fmt.Errorf("detach thing principal: certificate %q: %w", principal, ErrNotFound)
	}
	delete(th.principals, c.arn)
	r.gen.Add(1)
	return nil
}

// thingPrincipals lists the certificate ARNs attached to a thing.
func (r *registry) thingPrincipals(name string) ([]string, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	th, ok := r.things[name]
	if !ok {
		return nil, fmt.Errorf("list thing principals %q: %w", name, ErrNotFound)
	}
	return sortedKeys(th.principals), nil
}

// principalThings lists the things a certificate is attached to.
func (r *registry) principalThings(principal string) ([]string, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	c, ok := r.certs[certIDFromARN(principal)]
	if !ok {
		return nil, fmt.Errorf("list principal things %q: %w", principal, ErrNotFound)
	}
	var out []string
	for name, th := range r.things {
		if th.principals[c.arn] {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out, nil
}
