package sfnemu

import (
	"encoding/json"
	"fmt"
	"time"
)

// The configuration of the service (state machines with their revisions,
// versions, aliases and tags, and activities) as one JSON snapshot, for
// the emulator's state file (docs/durability.md §4). Executions are not
// part of it.

type configSnapshot struct {
	Machines   []machineSnapshot  `json:"machines"`
	Activities []activitySnapshot `json:"activities"`
}

type machineSnapshot struct {
	ARN, Name, Type string
	Created         time.Time
	Encryption      EncryptionConfiguration
	Publish         bool
	VersionDesc     *string `json:",omitempty"`
	Revision        revisionSnapshot
	Tags            []Tag `json:",omitempty"`
	Versions        []versionSnapshot
	LastVersion     int
	Aliases         []aliasSnapshot
}

type revisionSnapshot struct {
	Definition, RoleArn, ID string
	Logging                 LoggingConfiguration
	Tracing                 TracingConfiguration
	Date                    time.Time
	Seq                     int
}

type versionSnapshot struct {
	Number      int
	ARN         string
	Revision    revisionSnapshot
	Description *string `json:",omitempty"`
	Created     time.Time
}

type aliasSnapshot struct {
	Name, ARN        string
	Description      *string `json:",omitempty"`
	Routes           []routeSnapshot
	Created, Updated time.Time
}

type routeSnapshot struct {
	ARN     string
	Version int
	Weight  int32
}

type activitySnapshot struct {
	ARN, Name string
	Created   time.Time
	Tags      []Tag `json:",omitempty"`
}

func snapRevision(r revision) revisionSnapshot {
	return revisionSnapshot{Definition: r.definition, RoleArn: r.roleArn, ID: r.id, Logging: r.logging,
		Tracing: r.tracing, Date: r.date, Seq: r.seq}
}

// SnapshotConfig encodes the state machines not being deleted and the
// activities, in creation order.
func (s *Service) SnapshotConfig() ([]byte, error) {
	var snap configSnapshot
	s.mu.RLock()
	machines := append([]*stateMachine(nil), s.order...)
	s.mu.RUnlock()
	for _, sm := range machines {
		if m, ok := sm.snapshot(); ok {
			snap.Machines = append(snap.Machines, m)
		}
	}
	s.actMu.RLock()
	for _, a := range s.actOrder {
		a.mu.Lock()
		snap.Activities = append(snap.Activities, activitySnapshot{ARN: a.arn, Name: a.name, Created: a.created,
			Tags: append([]Tag(nil), a.tags...)})
		a.mu.Unlock()
	}
	s.actMu.RUnlock()
	return json.Marshal(snap)
}

func (sm *stateMachine) snapshot() (machineSnapshot, bool) {
	sm.mu.RLock()
	defer sm.mu.RUnlock()
	if sm.deleting {
		return machineSnapshot{}, false
	}
	m := machineSnapshot{ARN: sm.arn, Name: sm.name, Type: sm.typ, Created: sm.created,
		Encryption: sm.request.encryption, Publish: sm.request.publish, VersionDesc: sm.request.versionDescription,
		Revision: snapRevision(*sm.rev), Tags: append([]Tag(nil), sm.tags...), LastVersion: sm.lastVer}
	for _, v := range sm.versions {
		m.Versions = append(m.Versions, versionSnapshot{Number: v.number, ARN: v.arn, Revision: snapRevision(v.rev),
			Description: v.description, Created: v.created})
	}
	for _, a := range sm.aliases {
		as := aliasSnapshot{Name: a.name, ARN: a.arn, Description: a.description, Created: a.created, Updated: a.updated}
		for _, r := range a.routes {
			as.Routes = append(as.Routes, routeSnapshot{ARN: r.arn, Version: r.version, Weight: r.weight})
		}
		m.Aliases = append(m.Aliases, as)
	}
	return m, true
}

// RestoreConfig adds the state machines and activities of a snapshot to
// a service that has none of them yet.
func (s *Service) RestoreConfig(b []byte) error {
	var snap configSnapshot
	if err := json.Unmarshal(b, &snap); err != nil {
		return fmt.Errorf("restore state machines: %w", err)
	}
	for _, m := range snap.Machines {
		sm, err := restoreMachine(m)
		if err != nil {
			return fmt.Errorf("restore state machine %s: %w", m.ARN, err)
		}
		if _, err := s.addStateMachine(sm); err != nil {
			return fmt.Errorf("restore state machine %s: %w", m.ARN, err)
		}
	}
	s.actMu.Lock()
	defer s.actMu.Unlock()
	for _, as := range snap.Activities {
		if s.activities[as.ARN] != nil {
			continue
		}
		a := &activity{arn: as.ARN, name: as.Name, created: as.Created}
		a.tags.set(as.Tags)
		s.activities[a.arn] = a
		s.actOrder = append(s.actOrder, a)
	}
	return nil
}

func restoreRevision(r revisionSnapshot, typ string) (revision, error) {
	def, err := parseDefinition(r.Definition, typ)
	if err != nil {
		return revision{}, err
	}
	return revision{definition: r.Definition, roleArn: r.RoleArn, def: def, logging: r.Logging, tracing: r.Tracing,
		id: r.ID, date: r.Date, seq: r.Seq}, nil
}

func restoreMachine(m machineSnapshot) (*stateMachine, error) {
	rev, err := restoreRevision(m.Revision, m.Type)
	if err != nil {
		return nil, err
	}
	sm := &stateMachine{arn: m.ARN, name: m.Name, typ: m.Type, created: m.Created, rev: &rev, lastVer: m.LastVersion,
		request: createRequest{encryption: m.Encryption, publish: m.Publish, versionDescription: m.VersionDesc}}
	sm.tags.set(m.Tags)
	for _, v := range m.Versions {
		vrev, err := restoreRevision(v.Revision, m.Type)
		if err != nil {
			return nil, fmt.Errorf("version %d: %w", v.Number, err)
		}
		sm.versions = append(sm.versions, &version{number: v.Number, arn: v.ARN, rev: vrev, description: v.Description, created: v.Created})
	}
	for _, a := range m.Aliases {
		al := &alias{name: a.Name, arn: a.ARN, description: a.Description, created: a.Created, updated: a.Updated}
		for _, r := range a.Routes {
			al.routes = append(al.routes, route{arn: r.ARN, version: r.Version, weight: r.Weight})
		}
		sm.aliases = append(sm.aliases, al)
	}
	return sm, nil
}
