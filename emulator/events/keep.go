package events

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/stepwire/stepwire/emulator/store"
)

// The rules are kept in the store one rule a key, rule/<name>, the rule
// and its targets in JSON (store.Entries, docs/durability.md §4). The
// composition root saves them after each EventBridge call that changed
// them, before the call answers, and restores them at start.

// Bucket holds the rules in a state file.
const Bucket = "events-rules"

// ruleRecord is one rule as kept: what DescribeRule shows and the targets.
type ruleRecord struct {
	Rule    Rule
	Targets []Target `json:",omitempty"`
}

// entries encodes the rules one a key.
func (s *Service) entries() (map[string][]byte, error) {
	s.mu.Lock()
	recs := make([]ruleRecord, 0, len(s.rules))
	for _, r := range s.rules {
		recs = append(recs, ruleRecord{Rule: r.Rule, Targets: slices.Clone(r.targets)})
	}
	s.mu.Unlock()
	out := make(map[string][]byte, len(recs))
	var errs []error
	for _, rec := range recs {
		b, err := json.Marshal(rec)
		out["rule/"+rec.Rule.Name] = b
		errs = append(errs, err)
	}
	return out, errors.Join(errs...)
}

// Save writes the rules that changed since the last save and deletes the
// ones gone; without Config.Store it does nothing.
func (s *Service) Save() error {
	if s.keep == nil {
		return nil
	}
	return s.keep.Save(s.entries)
}

// Restore reads the rules of Config.Store back, each pattern compiled
// again. A record that does not decode or compile is an error naming it:
// the start stops rather than lose the rule (docs/durability.md §3).
func (s *Service) Restore() error {
	if s.keep == nil {
		return nil
	}
	all, err := s.keep.Load()
	if err != nil {
		return fmt.Errorf("restore eventbridge rules: %w", err)
	}
	rules := make(map[string]*rule, len(all))
	for key, b := range all {
		r, err := decodeRule(key, b)
		if err != nil {
			return fmt.Errorf("restore eventbridge rules: %s/%s: %w", Bucket, key, err)
		}
		rules[r.Name] = r
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules = rules
	return nil
}

// decodeRule rebuilds the rule kept under key.
func decodeRule(key string, b []byte) (*rule, error) {
	var rec ruleRecord
	if err := json.Unmarshal(b, &rec); err != nil {
		return nil, err
	}
	name, ok := strings.CutPrefix(key, "rule/")
	if !ok || rec.Rule.Name != name {
		return nil, fmt.Errorf("the record is not rule %q", name)
	}
	r := &rule{Rule: rec.Rule, targets: rec.Targets}
	if err := r.compile(); err != nil {
		return nil, err
	}
	if !slices.IsSortedFunc(r.targets, func(a, b Target) int { return strings.Compare(a.ID, b.ID) }) {
		return nil, errors.New("the targets are not in Id order")
	}
	return r, nil
}

// keepIn returns the Entries of st, nil without a store.
func keepIn(st store.Store) *store.Entries {
	if st == nil {
		return nil
	}
	return store.NewEntries(st, Bucket)
}
