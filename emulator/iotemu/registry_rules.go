package iotemu

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/stepwire/stepwire/emulator/iotemu/rules"
)

// TopicRule is a topic rule: a SQL statement and the actions it runs.
type TopicRule struct {
	SQL string
	// AWSIotSQLVersion is 2015-10-08 (the default), 2016-03-23 or beta.
	AWSIotSQLVersion string
	Description      string
	Disabled         bool
	Actions          []Action
	// ErrorAction runs when an action fails (docs/iot-core.md §4.2).
	ErrorAction *Action
}

// Action is one rule action. Exactly one kind is set. stepwire runs the
// lambda, stepFunctions and republish actions; any other kind is stored
// (Raw) and reported as failed when the rule fires.
type Action struct {
	// LambdaFunctionArn invokes a Lambda function asynchronously.
	LambdaFunctionArn string
	StepFunctions     *StepFunctionsAction
	Republish         *RepublishAction
	// Kind and Raw hold an action stepwire does not run, as sent.
	Kind string
	Raw  json.RawMessage
}

// StepFunctionsAction starts an execution with the SELECT result as input.
type StepFunctionsAction struct {
	StateMachineName    string
	ExecutionNamePrefix string
	RoleArn             string
}

// RepublishAction publishes the SELECT result to another topic; the topic
// may hold ${expr} substitution templates.
type RepublishAction struct {
	Topic   string
	Qos     int
	RoleArn string
}

// RuleInfo describes a stored rule.
type RuleInfo struct {
	Name, ARN string
	Rule      TopicRule
	Created   time.Time
}

type storedRule struct {
	name    string
	rule    TopicRule
	query   *rules.Query
	created time.Time
}

func (a Action) validate() error {
	n := 0
	for _, set := range []bool{a.LambdaFunctionArn != "", a.StepFunctions != nil, a.Republish != nil, a.Kind != ""} {
		if set {
			n++
		}
	}
	if n != 1 {
		return fmt.Errorf("%w: an action names exactly one kind", ErrInvalidRequest)
	}
	switch {
	case a.StepFunctions != nil && a.StepFunctions.StateMachineName == "":
		return fmt.Errorf("%w: stepFunctions needs stateMachineName", ErrInvalidRequest)
	case a.Republish != nil && (a.Republish.Topic == "" || a.Republish.Qos < 0 || a.Republish.Qos > 1):
		return fmt.Errorf("%w: republish needs a topic and qos 0 or 1", ErrInvalidRequest)
	}
	return nil
}

func (s *Service) compileRule(name string, rule TopicRule) (*storedRule, error) {
	if !ruleNameRE.MatchString(name) {
		return nil, fmt.Errorf("topic rule %q: %w: rule names match [a-zA-Z0-9_]{1,128}", name, ErrInvalidRequest)
	}
	if len(rule.Actions) > 10 {
		return nil, fmt.Errorf("topic rule %q: %w: at most 10 actions", name, ErrInvalidRequest)
	}
	q, err := rules.Compile(rule.SQL, rule.AWSIotSQLVersion)
	if err != nil {
		return nil, fmt.Errorf("topic rule %q: %w: %v", name, ErrSQLParse, err)
	}
	for i, a := range rule.Actions {
		if err := a.validate(); err != nil {
			return nil, fmt.Errorf("topic rule %q: action %d: %w", name, i, err)
		}
	}
	if rule.ErrorAction != nil {
		if err := rule.ErrorAction.validate(); err != nil {
			return nil, fmt.Errorf("topic rule %q: errorAction: %w", name, err)
		}
	}
	if rule.AWSIotSQLVersion == "" {
		rule.AWSIotSQLVersion = rules.Version20151008
	}
	return &storedRule{name: name, rule: rule, query: q, created: s.cfg.Clock.Now()}, nil
}

// CreateTopicRule validates the SQL and stores the rule.
func (s *Service) CreateTopicRule(name string, rule TopicRule) error {
	sr, err := s.compileRule(name, rule)
	if err != nil {
		return fmt.Errorf("create %w", err)
	}
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.rules[name]; ok {
		return fmt.Errorf("create topic rule %q: %w", name, ErrAlreadyExists)
	}
	r.rules[name] = sr
	r.publishRulesLocked()
	return nil
}

// ReplaceTopicRule replaces an existing rule.
func (s *Service) ReplaceTopicRule(name string, rule TopicRule) error {
	sr, err := s.compileRule(name, rule)
	if err != nil {
		return fmt.Errorf("replace %w", err)
	}
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	old, ok := r.rules[name]
	if !ok {
		return fmt.Errorf("replace topic rule %q: %w", name, ErrNotFound)
	}
	sr.created = old.created
	r.rules[name] = sr
	r.publishRulesLocked()
	return nil
}

// SetTopicRuleEnabled enables or disables a rule.
func (s *Service) SetTopicRuleEnabled(name string, enabled bool) error {
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	old, ok := r.rules[name]
	if !ok {
		return fmt.Errorf("enable topic rule %q: %w", name, ErrNotFound)
	}
	sr := *old
	sr.rule.Disabled = !enabled
	r.rules[name] = &sr
	r.publishRulesLocked()
	return nil
}

// DeleteTopicRule deletes a rule.
func (s *Service) DeleteTopicRule(name string) error {
	r := s.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.rules[name]; !ok {
		return fmt.Errorf("delete topic rule %q: %w", name, ErrNotFound)
	}
	delete(r.rules, name)
	r.publishRulesLocked()
	return nil
}

// GetTopicRule returns one rule.
func (s *Service) GetTopicRule(name string) (RuleInfo, error) {
	r := s.reg
	r.mu.RLock()
	defer r.mu.RUnlock()
	sr, ok := r.rules[name]
	if !ok {
		return RuleInfo{}, fmt.Errorf("get topic rule %q: %w", name, ErrNotFound)
	}
	return RuleInfo{Name: sr.name, ARN: s.arn("rule/" + sr.name), Rule: sr.rule, Created: sr.created}, nil
}

// ListTopicRules lists rules by name; topic, when set, keeps the rules
// whose FROM filter equals it.
func (s *Service) ListTopicRules(topic, marker string, max int, onlyDisabled *bool) ([]RuleInfo, string, error) {
	r := s.reg
	r.mu.RLock()
	var all []RuleInfo
	for _, n := range sortedKeys(r.rules) {
		sr := r.rules[n]
		if topic != "" && sr.query.Filter != topic {
			continue
		}
		if onlyDisabled != nil && sr.rule.Disabled != *onlyDisabled {
			continue
		}
		all = append(all, RuleInfo{Name: sr.name, ARN: s.arn("rule/" + sr.name), Rule: sr.rule, Created: sr.created})
	}
	r.mu.RUnlock()
	return page(all, marker, max)
}

func (r *registry) publishRulesLocked() {
	set := make([]*storedRule, 0, len(r.rules))
	for _, n := range sortedKeys(r.rules) {
		if sr := r.rules[n]; !sr.rule.Disabled {
			set = append(set, sr)
		}
	}
	r.ruleSet.Store(&set)
}

// rulesQuery returns a rule's FROM topic filter.
func (r *registry) rulesQuery(name string) (string, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	sr, ok := r.rules[name]
	if !ok {
		return "", fmt.Errorf("topic rule %q: %w", name, ErrNotFound)
	}
	return sr.query.Filter, nil
}
