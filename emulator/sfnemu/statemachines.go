package sfnemu

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/stepwire/stepwire/emulator/asl"
)

// State machine types.
const (
	typeStandard = "STANDARD"
	typeExpress  = "EXPRESS"
)

// Limits of CreateStateMachine members (service model).
const (
	maxNameLen       = 80
	maxDefinitionLen = 1048576
	maxRoleArnLen    = 256
)

// stateMachine is one created state machine. Its fields are immutable
// except the execution list.
type stateMachine struct {
	arn, name, definition, roleArn, typ string
	created                             time.Time
	def                                 *asl.Definition

	mu    sync.RWMutex
	execs []*execution // start order
}

// CreateStateMachine creates a state machine, or returns the existing one
// when an identical request was made before (same name, definition and
// type), as AWS does. It validates like the API.
func (s *Service) CreateStateMachine(ctx context.Context, name, definition, roleArn, typ string) (string, error) {
	sm, err := s.createStateMachine(name, definition, roleArn, typ)
	if err != nil {
		return "", err
	}
	return sm.arn, nil
}

func (s *Service) createStateMachine(name, definition, roleArn, typ string) (*stateMachine, error) {
	if typ == "" {
		typ = typeStandard
	}
	var v violations
	v.length("name", name, 1, maxNameLen, false)
	v.length("definition", definition, 1, maxDefinitionLen, true)
	v.length("roleArn", roleArn, 1, maxRoleArnLen, false)
	v.enum("type", typ, typeStandard, typeExpress)
	if err := v.err(); err != nil {
		return nil, err
	}
	if !validName(name) {
		return nil, fail(ErrInvalidName, name)
	}
	if _, err := parseIAMArn(roleArn); err != nil {
		return nil, err
	}
	def, err := asl.Parse([]byte(definition), asl.Options{Type: typ})
	if err != nil {
		var de *asl.DefinitionError
		if errors.As(err, &de) {
			return nil, fail(ErrInvalidDefinition, de.Error())
		}
		return nil, failf(ErrInvalidDefinition, "Invalid State Machine Definition: '%v'", err)
	}
	sm := &stateMachine{arn: s.stateMachineArn(name), name: name, definition: definition,
		roleArn: roleArn, typ: typ, created: s.cfg.Clock.Now(), def: def}
	return s.addStateMachine(sm)
}

// addStateMachine stores sm unless one with its ARN exists: an identical
// one is returned instead, a different one is StateMachineAlreadyExists.
func (s *Service) addStateMachine(sm *stateMachine) (*stateMachine, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.machines[sm.arn]; ok {
		if old.definition == sm.definition && old.typ == sm.typ {
			return old, nil
		}
		return nil, fail(ErrStateMachineAlreadyExists, sm.arn)
	}
	s.machines[sm.arn] = sm
	s.order = append(s.order, sm)
	return sm, nil
}

// parseIAMArn checks that roleArn looks like an ARN.
func parseIAMArn(arn string) (string, error) {
	if len(arn) < 4 || arn[:4] != "arn:" {
		return "", fail(ErrInvalidArn, "Invalid ARN prefix: "+arn)
	}
	return arn, nil
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

// addExecution appends e to the machine's execution list.
func (sm *stateMachine) addExecution(e *execution) {
	sm.mu.Lock()
	sm.execs = append(sm.execs, e)
	sm.mu.Unlock()
}

// executions returns the machine's executions, oldest first.
func (sm *stateMachine) executions() []*execution {
	sm.mu.RLock()
	defer sm.mu.RUnlock()
	return sm.execs[:len(sm.execs):len(sm.execs)]
}
