package events

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
)

// maxTargets is how many targets a rule may have (docs/eventbridge.md §3.3).
const maxTargets = 5

// Target is one target of a rule. Input and InputPath choose the payload
// (docs/eventbridge.md §4); InputTransformer, RetryPolicy and
// DeadLetterConfig are kept but have no effect yet.
type Target struct {
	ID, Arn, RoleArn string
	// Input is constant JSON sent instead of the event ("" for none).
	Input string
	// InputPath selects part of the event ("" for none), e.g. "$.detail".
	InputPath        string
	InputTransformer *InputTransformer
	RetryPolicy      *RetryPolicy
	DeadLetterConfig *DeadLetterConfig
}

// InputTransformer rewrites the event through a template.
type InputTransformer struct {
	InputPathsMap map[string]string
	InputTemplate string
}

// RetryPolicy bounds the retries of a failed delivery.
type RetryPolicy struct {
	MaximumRetryAttempts, MaximumEventAgeInSeconds *int32
}

// DeadLetterConfig names the queue of undeliverable events.
type DeadLetterConfig struct {
	Arn string
}

// FailedEntry is a target that PutTargets or RemoveTargets could not
// handle.
type FailedEntry struct {
	TargetID, ErrorCode, ErrorMessage string
}

// PutTargets adds targets to a rule, replacing those with the same Id.
func (s *Service) PutTargets(_ context.Context, ruleName, bus string, targets []Target) ([]FailedEntry, error) {
	if err := s.checkBus(bus); err != nil {
		return nil, err
	}
	for _, t := range targets {
		if err := checkTarget(t); err != nil {
			return nil, err
		}
	}
	return nil, s.updateRule(ruleName, func(r *rule) error {
		merged := slices.Clone(r.targets)
		for _, t := range targets {
			merged = putTarget(merged, t)
		}
		if len(merged) > maxTargets {
			return fail(ErrLimitExceeded, "The requested resource exceeds the maximum number allowed.")
		}
		r.targets = merged
		return nil
	})
}

// putTarget adds or replaces t, keeping the list sorted by Id.
func putTarget(list []Target, t Target) []Target {
	i, found := slices.BinarySearchFunc(list, t.ID, func(x Target, id string) int { return strings.Compare(x.ID, id) })
	if found {
		list[i] = t
		return list
	}
	return slices.Insert(list, i, t)
}

// checkTarget applies AWS's checks of one target (docs/eventbridge.md §3.3).
func checkTarget(t Target) error {
	n := 0
	for _, set := range []bool{t.Input != "", t.InputPath != "", t.InputTransformer != nil} {
		if set {
			n++
		}
	}
	if n > 1 {
		return failf(ErrValidation, "Only one of Input, InputPath, or InputTransformer must be provided for target %s.", t.ID)
	}
	if t.Input != "" && !json.Valid([]byte(t.Input)) {
		// AWS's text is not recorded.
		return failf(ErrValidation, "Input for target %s is not valid JSON text.", t.ID)
	}
	if t.InputPath != "" && !validInputPath(t.InputPath) {
		return failf(ErrValidation, "InputPath for target %s is not supported by stepwire: %s (only $ and $.a.b paths).", t.ID, t.InputPath)
	}
	return nil
}

// RemoveTargets removes targets from a rule; Ids it does not have are
// ignored.
func (s *Service) RemoveTargets(_ context.Context, ruleName, bus string, ids []string) ([]FailedEntry, error) {
	if err := s.checkBus(bus); err != nil {
		return nil, err
	}
	return nil, s.updateRule(ruleName, func(r *rule) error {
		r.targets = slices.DeleteFunc(slices.Clone(r.targets), func(t Target) bool { return slices.Contains(ids, t.ID) })
		return nil
	})
}

// ListTargetsByRule returns a rule's targets in Id order.
func (s *Service) ListTargetsByRule(_ context.Context, ruleName, bus string) ([]Target, error) {
	if err := s.checkBus(bus); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.rules[ruleName]
	if r == nil {
		return nil, ruleNotFound(ruleName)
	}
	return slices.Clone(r.targets), nil
}
