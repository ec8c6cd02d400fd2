package template

import (
	"encoding/json"
	"fmt"

	"github.com/stepwire/stepwire/internal/arn"
)

// EventRule is the EventBridge rule a function's `Events` entry of type
// EventBridgeRule or CloudWatchEvent stands for, with the function as its
// one target (docs/eventbridge.md §5).
type EventRule struct {
	// LogicalID is the rule's logical id as SAM derives it: the function's
	// logical id followed by the event's name.
	LogicalID string
	// Name is RuleName, or the logical id when the template names none
	// (CloudFormation would generate a name from the stack).
	Name string
	// EventBusName is "" for the default bus.
	EventBusName string
	// EventPattern is the pattern as JSON text.
	EventPattern string
	// State is ENABLED, DISABLED or "" (ENABLED).
	State  string
	Target EventTarget
}

// EventTarget is the rule's target: the function.
type EventTarget struct {
	// ID is Target.Id, or "<LogicalID>LambdaTarget" cut to 64 characters.
	ID string
	// Arn is the function's ARN.
	Arn string
	// Input and InputPath are the target's (both "" for the whole event).
	Input, InputPath string
}

// eventRuleHonoured lists the Properties of an EventBridgeRule or
// CloudWatchEvent entry stepwire implements.
var eventRuleHonoured = []string{"Pattern", "EventBusName", "RuleName", "State", "Enabled", "Input", "InputPath", "Target"}

// maxEventsName is EventBridge's limit on rule names and target ids.
const maxEventsName = 64

// eventRules reads a function's Events (SAM translator
// eventsources/push.py): EventBridgeRule and CloudWatchEvent entries
// become rules; any other event type is refused, never ignored.
func (r *resolver) eventRules(fnID, fnName string, events any) ([]EventRule, error) {
	m, ok := events.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("Events must be a mapping")
	}
	var out []EventRule
	for _, name := range sortedKeys(m) {
		ev, _ := m[name].(map[string]any)
		typ, _ := ev["Type"].(string)
		if typ != "EventBridgeRule" && typ != "CloudWatchEvent" {
			return nil, fmt.Errorf("Events.%s: type %q: stepwire runs only EventBridgeRule and CloudWatchEvent events", name, typ)
		}
		props, _ := ev["Properties"].(map[string]any)
		rule, err := r.eventRule(fnID+name, fnName, props)
		if err != nil {
			return nil, fmt.Errorf("Events.%s: %w", name, err)
		}
		out = append(out, rule)
	}
	return out, nil
}

func (r *resolver) eventRule(id, fnName string, p map[string]any) (EventRule, error) {
	for _, k := range sortedKeys(p) {
		if !contains(eventRuleHonoured, k) {
			return EventRule{}, fmt.Errorf("%s: stepwire cannot honour it yet", k)
		}
	}
	str := func(k string) string { s, _ := p[k].(string); return s }
	rule := EventRule{LogicalID: id, Name: str("RuleName"), EventBusName: str("EventBusName"), State: str("State")}
	if rule.Name == "" {
		rule.Name = cut(id, maxEventsName)
	}
	if en, ok := p["Enabled"].(bool); ok {
		if rule.State != "" {
			return rule, fmt.Errorf("State and Enabled cannot both be set")
		}
		rule.State = map[bool]string{true: "ENABLED", false: "DISABLED"}[en]
	}
	switch pat := p["Pattern"].(type) {
	case string:
		rule.EventPattern = pat
	case map[string]any:
		b, err := json.Marshal(pat)
		if err != nil {
			return rule, fmt.Errorf("Pattern: %w", err)
		}
		rule.EventPattern = string(b)
	default:
		return rule, fmt.Errorf("Pattern is required (a mapping)")
	}
	region, acct := r.opts.Region, r.opts.Account
	rule.Target = EventTarget{ID: cut(id+"LambdaTarget", maxEventsName), Arn: arn.LambdaFunction(region, acct, fnName),
		Input: str("Input"), InputPath: str("InputPath")}
	if t, ok := p["Target"].(map[string]any); ok {
		if tid, _ := t["Id"].(string); tid != "" {
			rule.Target.ID = tid
		}
	}
	return rule, nil
}

func cut(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
