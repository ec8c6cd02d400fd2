package sfnemu

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/internal/uuid"
)

// State machine types.
const (
	typeStandard = "STANDARD"
	typeExpress  = "EXPRESS"
)

// State machine statuses.
const (
	machineActive   = "ACTIVE"
	machineDeleting = "DELETING"
)

// maxNameLen is the longest state machine, execution, activity or alias
// name.
const maxNameLen = 80

// revision is one configuration of a state machine. Executions keep the
// revision they started with, so an update never changes a running one.
type revision struct {
	definition, roleArn string
	def                 *asl.Definition
	logging             LoggingConfiguration
	tracing             TracingConfiguration
	// id is empty until the first update (AWS reports revisionId for
	// updated machines).
	id string
	// date is the creation date, then the date of the last update.
	date time.Time
	// seq counts the machine's revisions from 0; a version holds the
	// revision it was published from.
	seq int
}

// sameConfig reports whether an update left the configuration as it was;
// such an update makes no new revision.
func (rev revision) sameConfig(o revision) bool {
	return rev.definition == o.definition && rev.roleArn == o.roleArn &&
		reflect.DeepEqual(rev.logging, o.logging) && rev.tracing == o.tracing
}

// stateMachine is one created state machine. arn, name, typ, created and
// request are immutable; the rest is guarded by mu.
type stateMachine struct {
	arn, name, typ string
	created        time.Time
	request        createRequest

	mu       sync.RWMutex
	rev      *revision // replaced, never changed, by an update: executions share it
	deleting bool
	running  int          // executions not yet closed
	execs    []*execution // Standard executions in start order, some freed (retention.go)
	// closed are the retained closed executions, oldest first;
	// freedInExecs counts the freed executions still in execs.
	closed       []closedRecord
	freedInExecs int
	tags         tagSet
	versions     []*version // publication order
	lastVer      int        // the highest version number ever used
	aliases      []*alias   // creation order
}

// createRequest is what CreateStateMachine compares, beside name,
// definition, type, logging and tracing, to tell a repeated request from a
// different one (docs/step-functions.md §4.2); it is not part of a revision.
type createRequest struct {
	encryption         EncryptionConfiguration
	publish            bool
	versionDescription *string
}

func (r createRequest) same(o createRequest) bool {
	return reflect.DeepEqual(r.encryption, o.encryption) && r.publish == o.publish &&
		reflect.DeepEqual(r.versionDescription, o.versionDescription)
}

// sameCreate reports whether a CreateStateMachine that would make o is a
// repeat of the one that made sm: same name, definition, type, logging,
// tracing, encryption, publish and version description. roleArn and tags
// are not compared: AWS treats a request differing only there as the same
// one and applies neither.
func (sm *stateMachine) sameCreate(rev revision, o *stateMachine) bool {
	return sm.typ == o.typ && rev.definition == o.rev.definition &&
		reflect.DeepEqual(rev.logging, o.rev.logging) && rev.tracing == o.rev.tracing &&
		sm.request.same(o.request)
}

// current returns the machine's revision and status.
func (sm *stateMachine) current() (revision, string) {
	sm.mu.RLock()
	defer sm.mu.RUnlock()
	if sm.deleting {
		return *sm.rev, machineDeleting
	}
	return *sm.rev, machineActive
}

// CreateStateMachine creates a state machine, or returns the existing one
// when an identical request was made before, as AWS does; with Publish it
// also publishes the first version (or returns the one an identical
// earlier request published).
func (s *Service) CreateStateMachine(_ context.Context, in CreateStateMachineInput) (CreateStateMachineOutput, error) {
	sm, err := s.newStateMachine(in)
	if err != nil {
		return CreateStateMachineOutput{}, err
	}
	out := CreateStateMachineOutput{StateMachineArn: sm.arn, CreationDate: sm.created}
	if !in.Publish {
		return out, nil
	}
	sm.mu.Lock()
	defer sm.mu.Unlock()
	v, err := sm.publishLocked(in.VersionDescription, s.cfg.Clock.Now())
	if err != nil {
		return CreateStateMachineOutput{}, err
	}
	out.StateMachineVersionArn = v.arn
	return out, nil
}

func (s *Service) newStateMachine(r CreateStateMachineInput) (*stateMachine, error) {
	name, definition, roleArn, typ := r.Name, r.Definition, r.RoleArn, r.Type
	if typ == "" {
		typ = typeStandard
	}
	if r.VersionDescription != nil && !r.Publish {
		return nil, fail(ErrValidation, "Version description can only be set when publish is true")
	}
	if typ != typeStandard && typ != typeExpress {
		return nil, failf(ErrValidation, "unknown state machine type %q", typ)
	}
	if !validName(name) {
		return nil, fail(ErrInvalidName, name)
	}
	if err := checkRoleArn(roleArn); err != nil {
		return nil, err
	}
	def, err := parseDefinition(definition, typ)
	if err != nil {
		return nil, err
	}
	now := s.cfg.Clock.Now()
	encryption := derefOr(r.EncryptionConfiguration)
	if encryption.Type == "" {
		encryption.Type = "AWS_OWNED_KEY"
	}
	sm := &stateMachine{arn: s.stateMachineArn(name), name: name, typ: typ, created: now,
		request: createRequest{encryption: encryption, publish: r.Publish, versionDescription: r.VersionDescription},
		rev: &revision{definition: definition, roleArn: roleArn, def: def, date: now,
			logging: loggingOrDefault(r.LoggingConfiguration), tracing: derefOr(r.TracingConfiguration)}}
	sm.tags.set(r.Tags)
	return s.addStateMachine(sm)
}

// loggingOrDefault is the configuration DescribeStateMachine reports:
// level OFF unless set.
func loggingOrDefault(l *LoggingConfiguration) LoggingConfiguration {
	out := derefOr(l)
	if out.Level == "" {
		out.Level = "OFF"
	}
	return out
}

// derefOr returns *p, or the zero value when p is nil.
func derefOr[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// parseDefinition parses a definition for a machine of type typ; problems
// are InvalidDefinition with AWS's text.
func parseDefinition(definition, typ string) (*asl.Definition, error) {
	def, err := asl.Parse([]byte(definition), asl.Options{Type: typ})
	if err != nil {
		var de *asl.DefinitionError
		if errors.As(err, &de) {
			return nil, fail(ErrInvalidDefinition, de.Error())
		}
		return nil, failf(ErrInvalidDefinition, "Invalid State Machine Definition: '%v'", err)
	}
	return def, nil
}

// addStateMachine stores sm unless one with its ARN exists: the existing
// one is returned for a repeated request (sameCreate), a different one is StateMachineAlreadyExists,
// one being deleted StateMachineDeleting.
func (s *Service) addStateMachine(sm *stateMachine) (*stateMachine, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.machines[sm.arn]; ok {
		rev, status := old.current()
		switch {
		case status == machineDeleting:
			return nil, fail(ErrStateMachineDeleting, sm.arn)
		case old.sameCreate(rev, sm):
			return old, nil
		}
		return nil, fail(ErrStateMachineAlreadyExists, sm.arn)
	}
	s.machines[sm.arn] = sm
	s.order = append(s.order, sm)
	return sm, nil
}

// checkRoleArn checks what Step Functions checks of a roleArn when it
// creates a state machine: the "arn:" prefix. It does not parse further.
func checkRoleArn(roleArn string) error {
	if !strings.HasPrefix(roleArn, "arn:") {
		return fail(ErrInvalidArn, "Invalid ARN prefix: "+roleArn)
	}
	return nil
}

// stateMachine returns the state machine with the given ARN.
func (s *Service) stateMachine(arn string) (*stateMachine, error) {
	if _, err := parseArn(arn, "stateMachine"); err != nil {
		return nil, err
	}
	s.mu.RLock()
	sm := s.machines[arn]
	s.mu.RUnlock()
	if sm == nil {
		return nil, fail(ErrStateMachineDoesNotExist, arn)
	}
	return sm, nil
}

// stateMachines returns the state machines in creation order.
func (s *Service) stateMachines() []*stateMachine {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return append([]*stateMachine(nil), s.order...)
}

// updateResult is what UpdateStateMachine answers.
type updateResult struct {
	rev     revision
	version *version // with publish
	date    time.Time
}

// UpdateStateMachine changes a machine's configuration: new executions use
// the new revision, running ones keep theirs. An update that changes
// nothing makes no new revision, and publishing it returns the version
// that holds it.
func (s *Service) UpdateStateMachine(_ context.Context, r UpdateStateMachineInput) (UpdateStateMachineOutput, error) {
	res, err := s.updateStateMachine(r)
	if err != nil {
		return UpdateStateMachineOutput{}, err
	}
	out := UpdateStateMachineOutput{UpdateDate: res.date, RevisionID: res.rev.id}
	if res.version != nil {
		out.StateMachineVersionArn = res.version.arn
	}
	return out, nil
}

func (s *Service) updateStateMachine(r UpdateStateMachineInput) (updateResult, error) {
	if r.VersionDescription != nil && !r.Publish {
		return updateResult{}, fail(ErrValidation, "Version description can only be set when publish is true")
	}
	sm, err := s.stateMachine(r.StateMachineArn)
	if err != nil {
		return updateResult{}, err
	}
	if r.Definition == nil && r.RoleArn == nil && r.LoggingConfiguration == nil && r.TracingConfiguration == nil {
		return updateResult{}, fail(ErrMissingRequiredParameter,
			"Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified")
	}
	if r.RoleArn != nil {
		if err := checkRoleArn(*r.RoleArn); err != nil {
			return updateResult{}, err
		}
	}
	var def *asl.Definition
	if r.Definition != nil {
		if def, err = parseDefinition(*r.Definition, sm.typ); err != nil {
			return updateResult{}, err
		}
	}
	return s.applyUpdate(sm, r, def)
}

// applyUpdate installs the updated revision and publishes it when asked.
func (s *Service) applyUpdate(sm *stateMachine, r UpdateStateMachineInput, def *asl.Definition) (updateResult, error) {
	now := s.cfg.Clock.Now()
	sm.mu.Lock()
	defer sm.mu.Unlock()
	if sm.deleting {
		return updateResult{}, fail(ErrStateMachineDeleting, sm.arn)
	}
	rev := *sm.rev
	if def != nil {
		rev.definition, rev.def = *r.Definition, def
	}
	if r.RoleArn != nil {
		rev.roleArn = *r.RoleArn
	}
	if r.LoggingConfiguration != nil {
		rev.logging = loggingOrDefault(r.LoggingConfiguration)
	}
	if r.TracingConfiguration != nil {
		rev.tracing = *r.TracingConfiguration
	}
	if !rev.sameConfig(*sm.rev) {
		rev.id, rev.date, rev.seq = uuid.New(), now, sm.rev.seq+1
		sm.rev = &rev
	}
	out := updateResult{rev: *sm.rev, date: now}
	if r.Publish {
		v, err := sm.publishLocked(r.VersionDescription, now)
		if err != nil {
			return updateResult{}, err
		}
		out.version = v
	}
	return out, nil
}

// DeleteStateMachine deletes a machine with its versions and aliases: it
// is DELETING while executions run and disappears once none does. An
// unknown machine is not an error, as on AWS.
func (s *Service) DeleteStateMachine(_ context.Context, arn string) error {
	sm, err := s.stateMachine(arn)
	if errors.Is(err, ErrStateMachineDoesNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	sm.mu.Lock()
	sm.deleting = true
	sm.versions, sm.aliases = nil, nil // a machine's versions and aliases go with it
	gone := sm.running == 0
	freed := sm.freeClosed() // and its executions, as they close
	sm.mu.Unlock()
	s.forget(freed)
	if gone {
		s.removeStateMachine(sm)
	}
	return nil
}

// removeStateMachine forgets a deleted machine, whose executions are
// freed.
func (s *Service) removeStateMachine(sm *stateMachine) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.machines[sm.arn] != sm {
		return
	}
	delete(s.machines, sm.arn)
	for i, o := range s.order {
		if o == sm {
			s.order = append(s.order[:i:i], s.order[i+1:]...)
			break
		}
	}
}

// admit registers a starting execution and returns the revision it runs:
// StateMachineDeleting once DeleteStateMachine was called.
func (sm *stateMachine) admit(e *execution) (*revision, error) {
	sm.mu.Lock()
	defer sm.mu.Unlock()
	if sm.deleting {
		return nil, fail(ErrStateMachineDeleting, sm.arn)
	}
	sm.running++
	if sm.typ == typeStandard { // no API lists Express executions
		sm.execs = append(sm.execs, e)
	}
	return sm.rev, nil
}

// release records that e closed: it is retained or freed
// (retention.go), and a pending deletion finishes when it was the
// machine's last running execution. e.mu is held.
func (s *Service) release(e *execution) {
	sm := e.sm
	freed := []*execution{e} // Express: nothing is kept
	sm.mu.Lock()
	sm.running--
	gone := sm.deleting && sm.running == 0
	if sm.typ == typeStandard {
		freed = sm.retire(e, e.stop, s.retention, e.stop)
	}
	sm.mu.Unlock()
	s.forget(freed)
	if gone {
		s.removeStateMachine(sm)
	}
}
