package events

import (
	"context"
	"slices"
	"strings"

	"github.com/stepwire/stepwire/emulator/events/pattern"
)

// Rule states (docs/eventbridge.md §3.2).
const (
	StateEnabled               = "ENABLED"
	StateDisabled              = "DISABLED"
	StateEnabledWithCloudTrail = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
)

// Rule is a rule as DescribeRule and ListRules show it.
type Rule struct {
	Name, Arn, EventBusName string
	EventPattern            string // "" when none
	ScheduleExpression      string // "" when none
	State                   string
	Description, RoleArn    string
	// ManagedBy is the service that manages the rule ("" for the account's
	// own); CreatedBy is the account that created it.
	ManagedBy, CreatedBy string
}

// PutRuleInput creates or replaces a rule. Fields left nil are unset on
// the rule, as PutRule replaces the whole rule (docs/eventbridge.md §3.2).
type PutRuleInput struct {
	Name                                    string
	EventPattern, ScheduleExpression, State *string
	Description, RoleArn, EventBusName      *string
}

// rule is a stored rule with its compiled pattern and targets (sorted by
// Id).
type rule struct {
	Rule
	pattern *pattern.Pattern
	targets []Target
}

// PutRule creates or replaces a rule on the default bus and returns its
// ARN. Targets survive a replacement.
func (s *Service) PutRule(_ context.Context, in PutRuleInput) (string, error) {
	if err := s.checkBus(deref(in.EventBusName)); err != nil {
		return "", err
	}
	r := &rule{Rule: Rule{
		Name: in.Name, Arn: s.ruleArn(in.Name), EventBusName: DefaultBus,
		EventPattern: deref(in.EventPattern), ScheduleExpression: deref(in.ScheduleExpression),
		State: deref(in.State), Description: deref(in.Description), RoleArn: deref(in.RoleArn),
		CreatedBy: s.cfg.Account,
	}}
	if r.State == "" {
		r.State = StateEnabled
	}
	if err := r.compile(); err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if old := s.rules[in.Name]; old != nil {
		r.targets = old.targets
	}
	s.rules[in.Name] = r
	return r.Arn, nil
}

// compile checks the pattern and the schedule and compiles the pattern.
func (r *rule) compile() error {
	if r.EventPattern == "" && r.ScheduleExpression == "" {
		// AWS's text is not recorded; this is the wording of its SDK docs.
		return fail(ErrValidation, "Parameter(s) EventPattern or ScheduleExpression must be specified.")
	}
	if r.ScheduleExpression != "" && !validSchedule(r.ScheduleExpression) {
		return fail(ErrValidation, "Parameter ScheduleExpression is not valid.")
	}
	if r.EventPattern == "" {
		return nil
	}
	p, err := pattern.Parse(r.EventPattern)
	if reason, ok := pattern.IsInvalid(err); ok {
		return fail(ErrInvalidEventPattern, reason)
	}
	r.pattern = p
	return err
}

// validSchedule is a shallow check of rate(...) and cron(...); schedules do
// not run yet (docs/eventbridge.md §3.2).
func validSchedule(expr string) bool {
	for _, kind := range []string{"rate(", "cron("} {
		if strings.HasPrefix(expr, kind) && strings.HasSuffix(expr, ")") && len(expr) > len(kind)+1 {
			return true
		}
	}
	return false
}

// DescribeRule returns a rule of the default bus.
func (s *Service) DescribeRule(_ context.Context, name, bus string) (Rule, error) {
	if err := s.checkBus(bus); err != nil {
		return Rule{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.rules[name]
	if r == nil {
		return Rule{}, ruleNotFound(name)
	}
	return r.Rule, nil
}

// ListRules returns the rules whose names start with prefix, in name order.
func (s *Service) ListRules(_ context.Context, prefix, bus string) ([]Rule, error) {
	if err := s.checkBus(bus); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Rule
	for name, r := range s.rules {
		if strings.HasPrefix(name, prefix) {
			out = append(out, r.Rule)
		}
	}
	slices.SortFunc(out, func(a, b Rule) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// EnableRule sets a rule's state to ENABLED.
func (s *Service) EnableRule(_ context.Context, name, bus string) error {
	return s.setState(name, bus, StateEnabled)
}

// DisableRule sets a rule's state to DISABLED: it matches no more events.
func (s *Service) DisableRule(_ context.Context, name, bus string) error {
	return s.setState(name, bus, StateDisabled)
}

func (s *Service) setState(name, bus, state string) error {
	if err := s.checkBus(bus); err != nil {
		return err
	}
	return s.updateRule(name, func(r *rule) error {
		r.State = state
		return nil
	})
}

// updateRule applies change to a copy of the rule named name and stores
// the copy unless change fails: a delivery that already holds the old rule
// keeps it whole.
func (s *Service) updateRule(name string, change func(*rule) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.rules[name]
	if r == nil {
		return ruleNotFound(name)
	}
	c := *r
	if err := change(&c); err != nil {
		return err
	}
	s.rules[name] = &c
	return nil
}

// DeleteRule deletes a rule that has no targets. Deleting an absent rule
// succeeds (docs/eventbridge.md §3.2).
func (s *Service) DeleteRule(_ context.Context, name, bus string) error {
	if err := s.checkBus(bus); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.rules[name]
	if r == nil {
		return nil
	}
	if len(r.targets) > 0 {
		return fail(ErrValidation, "Rule can't be deleted since it has targets.")
	}
	delete(s.rules, name)
	return nil
}

// matches reports whether the rule is enabled and its pattern matches.
// Scheduled rules without a pattern match nothing (docs/eventbridge.md §3.2).
func (r *rule) matches(e *pattern.Event) bool {
	return r.State != StateDisabled && r.pattern != nil && r.pattern.Matches(e)
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
