package scheduler

import (
	"maps"
	"slices"
	"time"

	"github.com/stepwire/stepwire/emulator/scheduler/schedexpr"
	"github.com/stepwire/stepwire/internal/arn"
	"github.com/stepwire/stepwire/internal/svcerr"
)

// Rule is an EventBridge rule with a ScheduleExpression and one target,
// what a SAM state machine's Events entry of type Schedule becomes
// (docs/eventbridge.md §8.1). Rules run in UTC and take rate and cron
// expressions only.
type Rule struct {
	Name, ScheduleExpression string
	Enabled                  bool
	TargetArn                string
	// Input replaces the Scheduled Event as the target's input when set.
	Input string
}

// AddRule arms a rule's schedule; its rate counts from now.
func (s *Service) AddRule(r Rule) error {
	expr, err := schedexpr.Parse(r.ScheduleExpression)
	if err != nil || expr.Kind() == schedexpr.At {
		return svcerr.Newf(ErrValidation, "Parameter ScheduleExpression is not valid.")
	}
	ruleArn := arn.EventsRule(s.cfg.Region, s.cfg.Account, r.Name)
	e := &entry{expr: expr, loc: time.UTC, enabled: r.Enabled}
	e.run = func(at time.Time) {
		input := r.Input
		if input == "" {
			input = s.scheduledEvent(ruleArn, at)
		}
		s.start(r.TargetArn, input, "rule", ruleArn, at)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.rules[r.Name]; ok {
		return svcerr.Newf(ErrConflict, "Rule %s already exists.", r.Name)
	}
	if s.full() {
		return s.quotaExceeded()
	}
	e.base = s.now()
	s.rules[r.Name] = e
	s.arm(e, e.base)
	return nil
}

// RuleRuns returns how many times a rule's schedule has fired.
func (s *Service) RuleRuns(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.rules[name]; ok {
		return e.runs
	}
	return 0
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
