package sfnemu

import (
	"context"
	"errors"
	"slices"
	"time"
)

// An alias is a name, <smArn>:<aliasName>, that routes executions to one
// or two versions of its machine by weight. Aliases live under their
// machine's mu.

// maxAliases is AWS's quota of aliases per state machine.
const maxAliases = 100

// noSuchResource is AWS's text for a missing alias.
const noSuchResource = "Request references a resource that does not exist."

type alias struct {
	name, arn   string
	description *string
	routes      []route
	created     time.Time
	updated     time.Time
}

// sameRequest reports whether a CreateStateMachineAlias repeats the one
// that created a: AWS answers it idempotently.
func (a *alias) sameRequest(description *string, routes []route) bool {
	return derefOr(a.description) == derefOr(description) && (a.description == nil) == (description == nil) &&
		slices.Equal(a.routes, routes)
}

// aliasLocked returns the named alias, or nil. The caller holds sm.mu.
func (sm *stateMachine) aliasLocked(name string) *alias {
	for _, a := range sm.aliases {
		if a.name == name {
			return a
		}
	}
	return nil
}

// aliasesRoutingLocked names the aliases that route to version n. The
// caller holds sm.mu.
func (sm *stateMachine) aliasesRoutingLocked(n int) []string {
	var names []string
	for _, a := range sm.aliases {
		if a.routesTo(n) {
			names = append(names, a.name)
		}
	}
	return names
}

func (a *alias) routesTo(n int) bool {
	for _, r := range a.routes {
		if r.version == n {
			return true
		}
	}
	return false
}

// CreateStateMachineAlias creates an alias of the machine the routed
// versions belong to, or returns an identical existing one.
func (s *Service) CreateStateMachineAlias(_ context.Context, r CreateAliasInput) (CreateAliasOutput, error) {
	a, err := s.createStateMachineAlias(r)
	if err != nil {
		return CreateAliasOutput{}, err
	}
	return CreateAliasOutput{StateMachineAliasArn: a.arn, CreationDate: a.created}, nil
}

func (s *Service) createStateMachineAlias(r CreateAliasInput) (*alias, error) {
	if !validAliasName(r.Name) {
		return nil, fail(ErrInvalidName, r.Name)
	}
	routes, base, err := parseRoutes(r.Routes)
	if err != nil {
		return nil, err
	}
	sm, err := s.stateMachine(base)
	if err != nil {
		return nil, err
	}
	sm.mu.Lock()
	defer sm.mu.Unlock()
	if err := sm.checkRoutesLocked(routes); err != nil {
		return nil, err
	}
	if old := sm.aliasLocked(r.Name); old != nil {
		if old.sameRequest(r.Description, routes) {
			return old, nil
		}
		return nil, fail(ErrConflict, "Failed to create alias because an alias with the same name "+
			"and a different routing configuration already exists.")
	}
	if len(sm.aliases) >= maxAliases {
		// AWS's text for this quota is not recorded.
		return nil, failf(ErrServiceQuotaExceeded,
			"Failed to create alias: the state machine '%s' has reached the limit of %d aliases.", sm.arn, maxAliases)
	}
	now := s.cfg.Clock.Now()
	a := &alias{name: r.Name, arn: aliasArn(sm.arn, r.Name), description: r.Description,
		routes: routes, created: now, updated: now}
	sm.aliases = append(sm.aliases, a)
	return a, nil
}

// checkRoutesLocked refuses routes to versions the machine does not have
// (any more). The caller holds sm.mu.
func (sm *stateMachine) checkRoutesLocked(routes []route) error {
	if sm.deleting {
		return fail(ErrStateMachineDeleting, sm.arn)
	}
	for _, r := range routes {
		if sm.versionLocked(r.version) == nil {
			return fail(ErrNoSuchResource, noSuchResource)
		}
	}
	return nil
}

// lookupAlias finds the machine and alias an alias ARN names; anything
// missing is ResourceNotFound.
func (s *Service) lookupAlias(arn string) (*stateMachine, string, error) {
	ref, err := parseMachineRef(arn)
	if err != nil {
		return nil, "", err
	}
	if ref.alias == "" {
		return nil, "", fail(ErrInvalidArn, "Invalid ARN prefix: "+arn)
	}
	sm, err := s.stateMachine(ref.base)
	if errors.Is(err, ErrStateMachineDoesNotExist) {
		return nil, "", fail(ErrNoSuchResource, noSuchResource)
	}
	return sm, ref.alias, err
}

// DescribeStateMachineAlias describes an alias.
func (s *Service) DescribeStateMachineAlias(_ context.Context, arn string) (AliasDescription, error) {
	sm, name, err := s.lookupAlias(arn)
	if err != nil {
		return AliasDescription{}, err
	}
	sm.mu.RLock()
	defer sm.mu.RUnlock()
	a := sm.aliasLocked(name)
	if a == nil {
		return AliasDescription{}, fail(ErrNoSuchResource, noSuchResource)
	}
	routes := make([]Route, len(a.routes))
	for i, rt := range a.routes {
		routes[i] = Route{StateMachineVersionArn: rt.arn, Weight: rt.weight}
	}
	return AliasDescription{StateMachineAliasArn: a.arn, Name: a.name, Description: a.description,
		Routes: routes, CreationDate: a.created, UpdateDate: a.updated}, nil
}

// UpdateStateMachineAlias changes an alias's description, routes or
// both.
func (s *Service) UpdateStateMachineAlias(_ context.Context, r UpdateAliasInput) (UpdateAliasOutput, error) {
	date, err := s.updateStateMachineAlias(r)
	if err != nil {
		return UpdateAliasOutput{}, err
	}
	return UpdateAliasOutput{UpdateDate: date}, nil
}

func (s *Service) updateStateMachineAlias(r UpdateAliasInput) (time.Time, error) {
	routes, err := newRoutes(r)
	if err != nil {
		return time.Time{}, err
	}
	sm, name, err := s.lookupAlias(r.StateMachineAliasArn)
	if err != nil {
		return time.Time{}, err
	}
	sm.mu.Lock()
	defer sm.mu.Unlock()
	a := sm.aliasLocked(name)
	if a == nil {
		return time.Time{}, fail(ErrNoSuchResource, noSuchResource)
	}
	if routes != nil {
		if err := sm.checkRoutesLocked(routes); err != nil {
			return time.Time{}, err
		}
		a.routes = routes
	}
	if r.Description != nil {
		a.description = r.Description
	}
	a.updated = s.cfg.Clock.Now()
	return a.updated, nil
}

// DeleteStateMachineAlias deletes an alias; one that does not exist is not
// an error, as on AWS.
func (s *Service) DeleteStateMachineAlias(_ context.Context, arn string) error {
	sm, name, err := s.lookupAlias(arn)
	if errors.Is(err, ErrNoSuchResource) {
		return nil
	}
	if err != nil {
		return err
	}
	sm.mu.Lock()
	defer sm.mu.Unlock()
	sm.aliases = slices.DeleteFunc(sm.aliases, func(a *alias) bool { return a.name == name })
	return nil
}

// ListStateMachineAliases lists a machine's aliases in creation order;
// with a version ARN, the aliases that route to that version.
func (s *Service) ListStateMachineAliases(_ context.Context, r ListAliasesInput) (AliasList, error) {
	all, err := s.aliasesOf(r.StateMachineArn)
	if err != nil {
		return AliasList{}, err
	}
	from, to, err := r.Page.bounds(len(all))
	if err != nil {
		return AliasList{}, err
	}
	out := AliasList{Aliases: make([]AliasListItem, 0, to-from), Next: next(to, len(all))}
	for _, a := range all[from:to] {
		out.Aliases = append(out.Aliases, AliasListItem{StateMachineAliasArn: a.arn, CreationDate: a.created})
	}
	return out, nil
}

// aliasesOf returns the aliases of a machine, or of a version.
func (s *Service) aliasesOf(arn string) ([]alias, error) {
	ref, err := parseMachineRef(arn)
	if err != nil {
		return nil, err
	}
	var sm *stateMachine
	if ref.version > 0 {
		sm, _, err = s.lookupVersion(ref)
	} else {
		sm, err = s.stateMachine(arn)
	}
	if err != nil {
		return nil, err
	}
	sm.mu.RLock()
	defer sm.mu.RUnlock()
	out := make([]alias, 0, len(sm.aliases))
	for _, a := range sm.aliases {
		if ref.version == 0 || a.routesTo(ref.version) {
			out = append(out, *a)
		}
	}
	return out, nil
}
