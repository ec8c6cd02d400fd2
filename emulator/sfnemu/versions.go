package sfnemu

import (
	"context"
	"errors"
	"strings"
	"time"
)

// A version is an immutable snapshot of one revision of a state machine,
// named <smArn>:<number>. Numbers grow from 1 and are never reused, even
// after a version is deleted. Versions live under their machine's mu.

// maxVersions is AWS's quota of versions per state machine.
const maxVersions = 1000

// initialRevision names, in PublishStateMachineVersion's revisionId, the
// revision of a machine that was never updated.
const initialRevision = "INITIAL"

type version struct {
	number      int
	arn         string
	rev         revision
	description *string
	created     time.Time
}

// label is the revision id PublishStateMachineVersion compares
// and reports.
func (rev revision) label() string {
	if rev.id == "" {
		return initialRevision
	}
	return rev.id
}

// publishLocked publishes the current revision, or returns the version
// that already holds it (PublishStateMachineVersion is idempotent per
// revision). The caller holds sm.mu.
func (sm *stateMachine) publishLocked(description *string, now time.Time) (*version, error) {
	if sm.deleting {
		return nil, fail(ErrStateMachineDeleting, sm.arn)
	}
	for i := len(sm.versions) - 1; i >= 0; i-- {
		if v := sm.versions[i]; v.rev.seq == sm.rev.seq {
			return v, nil
		}
	}
	if len(sm.versions) >= maxVersions {
		// AWS's text for this quota is not recorded.
		return nil, failf(ErrServiceQuotaExceeded,
			"Failed to publish the State Machine version: the state machine '%s' has reached the limit of %d versions.",
			sm.arn, maxVersions)
	}
	sm.lastVer++
	v := &version{number: sm.lastVer, arn: versionArn(sm.arn, sm.lastVer), rev: *sm.rev,
		description: description, created: now}
	sm.versions = append(sm.versions, v)
	return v, nil
}

// versionLocked returns version n, or nil. The caller holds sm.mu.
func (sm *stateMachine) versionLocked(n int) *version {
	for _, v := range sm.versions {
		if v.number == n {
			return v
		}
	}
	return nil
}

// lookupVersion returns the version a version ARN names; a missing one is
// StateMachineDoesNotExist quoting the version ARN, as AWS answers.
func (s *Service) lookupVersion(ref machineRef) (*stateMachine, *version, error) {
	sm, err := s.stateMachine(ref.base)
	if err != nil {
		return nil, nil, fail(ErrStateMachineDoesNotExist, ref.arn)
	}
	sm.mu.RLock()
	v := sm.versionLocked(ref.version)
	sm.mu.RUnlock()
	if v == nil {
		return nil, nil, fail(ErrStateMachineDoesNotExist, ref.arn)
	}
	return sm, v, nil
}

// PublishStateMachineVersion publishes the machine's current revision, or
// returns the version that holds it. A RevisionID that is not the current
// revision's is ErrConflict.
func (s *Service) PublishStateMachineVersion(_ context.Context, r PublishVersionInput) (PublishVersionOutput, error) {
	sm, err := s.stateMachine(r.StateMachineArn)
	if err != nil {
		return PublishVersionOutput{}, err
	}
	sm.mu.Lock()
	defer sm.mu.Unlock()
	if r.RevisionID != nil && *r.RevisionID != sm.rev.label() {
		return PublishVersionOutput{}, failf(ErrConflict,
			"Failed to publish the State Machine version for revision %s. The current State Machine revision is %s.",
			*r.RevisionID, sm.rev.label())
	}
	v, err := sm.publishLocked(r.Description, s.cfg.Clock.Now())
	if err != nil {
		return PublishVersionOutput{}, err
	}
	return PublishVersionOutput{StateMachineVersionArn: v.arn, CreationDate: v.created}, nil
}

// DeleteStateMachineVersion deletes a version, refused while an alias
// routes to it; a version (or machine) that does not exist is not an
// error, as on AWS.
func (s *Service) DeleteStateMachineVersion(_ context.Context, arn string) error {
	ref, err := parseMachineRef(arn)
	if err != nil {
		return err
	}
	if ref.version == 0 {
		return fail(ErrInvalidArn, "Invalid ARN prefix: "+arn)
	}
	sm, err := s.stateMachine(ref.base)
	if errors.Is(err, ErrStateMachineDoesNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	sm.mu.Lock()
	defer sm.mu.Unlock()
	if names := sm.aliasesRoutingLocked(ref.version); len(names) > 0 {
		return failf(ErrConflict, "Version to be deleted must not be referenced by an alias. "+
			"Current list of aliases referencing this version: [%s]", strings.Join(names, ", "))
	}
	for i, v := range sm.versions {
		if v.number == ref.version {
			sm.versions = append(sm.versions[:i:i], sm.versions[i+1:]...)
			break
		}
	}
	return nil
}

// ListStateMachineVersions lists a machine's versions, newest first. An
// unknown machine has no versions (the operation has no
// StateMachineDoesNotExist).
func (s *Service) ListStateMachineVersions(_ context.Context, r ListVersionsInput) (VersionList, error) {
	var all []*version
	if sm, err := s.stateMachine(r.StateMachineArn); err == nil {
		sm.mu.RLock()
		all = append(all, sm.versions...)
		sm.mu.RUnlock()
	} else if !errors.Is(err, ErrStateMachineDoesNotExist) {
		return VersionList{}, err
	}
	from, to, err := r.Page.bounds(len(all))
	if err != nil {
		return VersionList{}, err
	}
	out := VersionList{Versions: make([]VersionListItem, 0, to-from), Next: next(to, len(all))}
	for i := from; i < to; i++ {
		v := all[len(all)-1-i]
		out.Versions = append(out.Versions, VersionListItem{StateMachineVersionArn: v.arn, CreationDate: v.created})
	}
	return out, nil
}
