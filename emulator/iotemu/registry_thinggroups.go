package iotemu

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/stepwire/stepwire/internal/arn"
)

// Thing group limits (docs/iot-core.md §8.1). maxThingGroups is stepwire's
// bound on the registry; the others are IoT Core's.
const (
	maxThingGroups         = 1000
	maxGroupsPerThing      = 10
	maxThingGroupDepth     = 7
	maxThingGroupAttrs     = 50
	maxThingGroupDescBytes = 2028
)

// thingGroup is a static thing group. Policies attached to it apply to its
// things and to the things of its descendants.
type thingGroup struct {
	name, arn, id string
	parent        string // "" for a root group
	description   string
	attributes    map[string]string
	things        map[string]bool // thing names
	policies      []string        // at most maxPoliciesPerTarget
	version       int64
	created       time.Time
}

// ThingGroupInfo describes a thing group.
type ThingGroupInfo struct {
	Name, ARN, ID, Parent, Description string
	Attributes                         map[string]string
	// Ancestors lists the groups from the root down to the parent.
	Ancestors []string
	Version   int64
	Created   time.Time
}

// ThingGroupSpec is what CreateThingGroup takes besides the name.
type ThingGroupSpec struct {
	Parent, Description string
	Attributes          map[string]string
}

// CreateThingGroup creates a static thing group, under Parent if given.
func (s *Service) CreateThingGroup(name string, spec ThingGroupSpec) (ThingGroupInfo, error) {
	if !thingNameRE.MatchString(name) {
		return ThingGroupInfo{}, fmt.Errorf("create thing group %q: %w: names match [a-zA-Z0-9:_-]{1,128}", name, ErrInvalidRequest)
	}
	if len(spec.Attributes) > maxThingGroupAttrs || len(spec.Description) > maxThingGroupDescBytes {
		return ThingGroupInfo{}, fmt.Errorf("create thing group %q: %w: at most %d attributes and a description of %d bytes",
			name, ErrInvalidRequest, maxThingGroupAttrs, maxThingGroupDescBytes)
	}
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.groups[name]; ok {
		return ThingGroupInfo{}, fmt.Errorf("create thing group %q: %w", name, ErrAlreadyExists)
	}
	if len(r.groups) >= maxThingGroups {
		return ThingGroupInfo{}, fmt.Errorf("create thing group %q: %w: at most %d thing groups", name, ErrLimitExceeded, maxThingGroups)
	}
	if spec.Parent != "" {
		if _, ok := r.groups[spec.Parent]; !ok {
			return ThingGroupInfo{}, fmt.Errorf("create thing group %q: %w: parent group %s does not exist", name, ErrNotFound, spec.Parent)
		}
		if len(r.ancestors(spec.Parent))+1 > maxThingGroupDepth {
			return ThingGroupInfo{}, fmt.Errorf("create thing group %q: %w: a hierarchy is at most %d groups deep",
				name, ErrInvalidRequest, maxThingGroupDepth)
		}
	}
	g := &thingGroup{name: name, arn: s.arn("thinggroup/" + name), id: newID(), parent: spec.Parent,
		description: spec.Description, attributes: maps.Clone(spec.Attributes), things: map[string]bool{},
		version: 1, created: s.cfg.Clock.Now()}
	if g.attributes == nil {
		g.attributes = map[string]string{}
	}
	r.groups[name] = g
	return r.groupInfo(g), nil
}

// ancestors lists a group's ancestors from the root down, the group
// itself last. r.mu is held.
func (r *registry) ancestors(name string) []string {
	var out []string
	for n := name; n != "" && len(out) <= maxThingGroupDepth; {
		out = append(out, n)
		g, ok := r.groups[n]
		if !ok {
			break
		}
		n = g.parent
	}
	slices.Reverse(out)
	return out
}

func (r *registry) groupInfo(g *thingGroup) ThingGroupInfo {
	anc := r.ancestors(g.name)
	return ThingGroupInfo{Name: g.name, ARN: g.arn, ID: g.id, Parent: g.parent, Description: g.description,
		Attributes: maps.Clone(g.attributes), Ancestors: anc[:len(anc)-1], Version: g.version, Created: g.created}
}

// DescribeThingGroup returns one thing group.
func (s *Service) DescribeThingGroup(name string) (ThingGroupInfo, error) {
	r := s.reg
	r.mu.RLock()
	defer r.mu.RUnlock()
	g, ok := r.groups[name]
	if !ok {
		return ThingGroupInfo{}, fmt.Errorf("describe thing group: %w: thing group %s does not exist", ErrNotFound, name)
	}
	return r.groupInfo(g), nil
}

// ListThingGroups lists groups by name: those whose name starts with
// prefix, and, given a parent, only its children (all its descendants if
// recursive).
func (s *Service) ListThingGroups(parent, prefix string, recursive bool, marker string, max int) ([]ThingGroupInfo, string, error) {
	r := s.reg
	r.mu.RLock()
	if _, ok := r.groups[parent]; parent != "" && !ok {
		r.mu.RUnlock()
		return nil, "", fmt.Errorf("list thing groups: %w: thing group %s does not exist", ErrNotFound, parent)
	}
	var all []ThingGroupInfo
	for _, n := range sortedKeys(r.groups) {
		g := r.groups[n]
		anc := r.ancestors(n)
		under := parent == "" || g.parent == parent || (recursive && slices.Contains(anc[:len(anc)-1], parent))
		if under && strings.HasPrefix(n, prefix) {
			all = append(all, r.groupInfo(g))
		}
	}
	r.mu.RUnlock()
	return page(all, marker, max)
}

// DeleteThingGroup deletes a group with no child groups; its things leave
// it and its policies are detached. A missing group is not an error.
func (s *Service) DeleteThingGroup(name string, expectedVersion int64) error {
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	g, ok := r.groups[name]
	if !ok {
		return nil
	}
	if expectedVersion != 0 && expectedVersion != g.version {
		return fmt.Errorf("delete thing group %s: %w: the version is %d, not %d", name, ErrVersionConflict, g.version, expectedVersion)
	}
	for _, other := range r.groups {
		if other.parent == name {
			return fmt.Errorf("delete thing group %s: %w: it has child group %s", name, ErrInvalidRequest, other.name)
		}
	}
	delete(r.groups, name)
	r.gen.Add(1)
	return nil
}

// groupThingRef resolves the (name or ARN) pairs that Add/Remove
// ThingToThingGroup take. r.mu is held.
func (r *registry) groupThingRef(op, groupName, groupARN, thingName, thingARN string) (*thingGroup, *thing, error) {
	if groupName == "" {
		if a, ok := arn.ParseResource(groupARN, "iot", "thinggroup"); ok {
			groupName = a.Fields[0]
		}
	}
	if thingName == "" {
		if a, ok := arn.ParseResource(thingARN, "iot", "thing"); ok {
			thingName = a.Fields[0]
		}
	}
	g, ok := r.groups[groupName]
	if !ok {
		return nil, nil, fmt.Errorf("%s: %w: thing group %q does not exist", op, ErrNotFound, groupName)
	}
	th, ok := r.things[thingName]
	if !ok {
		return nil, nil, fmt.Errorf("%s: %w: thing %q does not exist", op, ErrNotFound, thingName)
	}
	return g, th, nil
}

// AddThingToThingGroup adds a thing to a group; a thing is in at most
// maxGroupsPerThing groups.
func (s *Service) AddThingToThingGroup(groupName, groupARN, thingName, thingARN string) error {
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	g, th, err := r.groupThingRef("add thing to thing group", groupName, groupARN, thingName, thingARN)
	if err != nil {
		return err
	}
	if g.things[th.name] {
		return nil
	}
	if n := len(r.thingGroups(th.name)); n >= maxGroupsPerThing {
		return fmt.Errorf("add thing to thing group: %w: thing %s is already in %d thing groups, the maximum",
			ErrInvalidRequest, th.name, maxGroupsPerThing)
	}
	g.things[th.name] = true
	r.gen.Add(1)
	return nil
}

// RemoveThingFromThingGroup takes a thing out of a group.
func (s *Service) RemoveThingFromThingGroup(groupName, groupARN, thingName, thingARN string) error {
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	g, th, err := r.groupThingRef("remove thing from thing group", groupName, groupARN, thingName, thingARN)
	if err != nil {
		return err
	}
	delete(g.things, th.name)
	r.gen.Add(1)
	return nil
}

// thingGroups lists the groups a thing is directly in. r.mu is held.
func (r *registry) thingGroups(thingName string) []string {
	var out []string
	for _, n := range sortedKeys(r.groups) {
		if r.groups[n].things[thingName] {
			out = append(out, n)
		}
	}
	return out
}

// ListThingGroupsForThing lists the groups a thing is directly in.
func (s *Service) ListThingGroupsForThing(thingName, marker string, max int) ([]ThingGroupInfo, string, error) {
	r := s.reg
	r.mu.RLock()
	if _, ok := r.things[thingName]; !ok {
		r.mu.RUnlock()
		return nil, "", fmt.Errorf("list thing groups for thing: %w: thing %s does not exist", ErrNotFound, thingName)
	}
	var all []ThingGroupInfo
	for _, n := range r.thingGroups(thingName) {
		all = append(all, r.groupInfo(r.groups[n]))
	}
	r.mu.RUnlock()
	return page(all, marker, max)
}

// ListThingsInThingGroup lists a group's things by name, with those of its
// descendants if recursive.
func (s *Service) ListThingsInThingGroup(name string, recursive bool, marker string, max int) ([]string, string, error) {
	r := s.reg
	r.mu.RLock()
	if _, ok := r.groups[name]; !ok {
		r.mu.RUnlock()
		return nil, "", fmt.Errorf("list things in thing group: %w: thing group %s does not exist", ErrNotFound, name)
	}
	set := map[string]bool{}
	for _, g := range r.groups {
		if g.name == name || (recursive && slices.Contains(r.ancestors(g.name), name)) {
			maps.Copy(set, g.things)
		}
	}
	r.mu.RUnlock()
	return page(sortedKeys(set), marker, max)
}

// groupPolicies lists the policies that reach a thing through its groups
// and their ancestors, each once (docs/iot-core.md §8.1). r.mu is held.
func (r *registry) groupPolicies(thingName string) []string {
	var out []string
	for _, direct := range r.thingGroups(thingName) {
		for _, n := range r.ancestors(direct) {
			if g, ok := r.groups[n]; ok {
				for _, p := range g.policies {
					if !slices.Contains(out, p) {
						out = append(out, p)
					}
				}
			}
		}
	}
	return out
}

// groupFromTarget names the thing group an attach target's ARN names.
func groupFromTarget(target string) (string, bool) {
	if a, ok := arn.ParseResource(target, "iot", "thinggroup"); ok {
		return a.Fields[0], true
	}
	return "", false
}
