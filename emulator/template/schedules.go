package template

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/stepwire/stepwire/internal/arn"
)

// Schedule is a scheduled start of a state machine, from its `Events`:
// type Schedule becomes an EventBridge rule with a ScheduleExpression,
// type ScheduleV2 an EventBridge Scheduler schedule in the default group
// (docs/eventbridge.md §8).
type Schedule struct {
	// LogicalID is the state machine's logical id followed by the event's
	// name, as SAM derives it.
	LogicalID string
	// Name is Name, or the logical id cut to 64 characters.
	Name string
	// V2 is true for ScheduleV2 (Scheduler), false for Schedule (a rule).
	V2 bool
	// Expression is the rate, cron or (V2 only) at expression.
	Expression string
	// Timezone is ScheduleExpressionTimezone (V2 only; "" is UTC).
	Timezone string
	// StartDate and EndDate bound a V2 schedule; nil when not set.
	StartDate, EndDate *time.Time
	// Enabled is false for State DISABLED or Enabled false.
	Enabled bool
	// StateMachineArn is the target.
	StateMachineArn string
	// RoleArn is the role the rule or schedule would assume.
	RoleArn string
	// Input replaces the default input (the Scheduled Event for a rule,
	// "{}" for a schedule) when set.
	Input string
	// FlexibleWindowMinutes is FlexibleTimeWindow's maximum when its mode
	// is FLEXIBLE, else 0.
	FlexibleWindowMinutes int
}

// scheduleProps lists, per event type, the properties stepwire honours
// or accepts as having no local effect; any other is refused.
var scheduleProps = map[string][]string{
	"Schedule": {"Schedule", "Name", "Description", "Enabled", "State", "Input", "RoleArn", "Target"},
	"ScheduleV2": {"ScheduleExpression", "ScheduleExpressionTimezone", "StartDate", "EndDate", "State", "Description",
		"GroupName", "Name", "OmitName", "FlexibleTimeWindow", "Input", "RoleArn", "KmsKeyArn", "PermissionsBoundary"},
}

// stateMachineSchedules reads a state machine's Events: Schedule and
// ScheduleV2 entries become schedules; any other type is refused.
func (r *resolver) stateMachineSchedules(smID, smName string, events any) ([]Schedule, error) {
	m, ok := events.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("Events must be a mapping")
	}
	var out []Schedule
	for _, name := range sortedKeys(m) {
		ev, _ := m[name].(map[string]any)
		typ, _ := ev["Type"].(string)
		allowed, ok := scheduleProps[typ]
		if !ok {
			return nil, fmt.Errorf("Events.%s: type %q: stepwire starts state machines only on Schedule and ScheduleV2 events", name, typ)
		}
		props, _ := ev["Properties"].(map[string]any)
		for _, k := range sortedKeys(props) {
			if !contains(allowed, k) {
				return nil, fmt.Errorf("Events.%s: %s: stepwire cannot honour it yet", name, k)
			}
		}
		s, err := r.schedule(smID+name, smName, typ == "ScheduleV2", props)
		if err != nil {
			return nil, fmt.Errorf("Events.%s: %w", name, err)
		}
		out = append(out, s)
	}
	return out, nil
}

func (r *resolver) schedule(id, smName string, v2 bool, p map[string]any) (Schedule, error) {
	str := func(k string) string { s, _ := p[k].(string); return s }
	s := Schedule{LogicalID: id, Name: str("Name"), V2: v2, Enabled: true, RoleArn: str("RoleArn"),
		StateMachineArn: arn.StateMachine(r.opts.Region, r.opts.Account, smName)}
	if s.Name == "" {
		s.Name = cut(id, maxEventsName)
	}
	s.Expression = str("Schedule")
	if v2 {
		s.Expression, s.Timezone = str("ScheduleExpression"), str("ScheduleExpressionTimezone")
	}
	if s.Expression == "" {
		return s, fmt.Errorf("a schedule expression is required")
	}
	if err := scheduleState(&s, p); err != nil {
		return s, err
	}
	input, err := scheduleInput(p["Input"])
	if err != nil {
		return s, err
	}
	s.Input = input
	if g := str("GroupName"); g != "" && g != "default" {
		return s, fmt.Errorf("GroupName %s: stepwire has only the default schedule group", g)
	}
	if s.StartDate, err = scheduleDate(p, "StartDate"); err != nil {
		return s, err
	}
	if s.EndDate, err = scheduleDate(p, "EndDate"); err != nil {
		return s, err
	}
	s.FlexibleWindowMinutes, err = flexibleWindow(p["FlexibleTimeWindow"])
	return s, err
}

// scheduleState reads State (ENABLED or DISABLED) or Enabled, not both.
func scheduleState(s *Schedule, p map[string]any) error {
	state, hasState := p["State"].(string)
	en, hasEnabled := p["Enabled"].(bool)
	switch {
	case hasState && hasEnabled:
		return fmt.Errorf("State and Enabled cannot both be set")
	case hasState && state != "ENABLED" && state != "DISABLED":
		return fmt.Errorf("State %q: want ENABLED or DISABLED", state)
	case hasState:
		s.Enabled = state == "ENABLED"
	case hasEnabled:
		s.Enabled = en
	}
	return nil
}

// scheduleInput reads Input: JSON text, or a mapping written as JSON.
func scheduleInput(v any) (string, error) {
	switch in := v.(type) {
	case nil:
		return "", nil
	case string:
		if !json.Valid([]byte(in)) {
			return "", fmt.Errorf("Input must be JSON text")
		}
		return in, nil
	case map[string]any:
		b, err := json.Marshal(in)
		return string(b), err
	}
	return "", fmt.Errorf("Input must be JSON text")
}

func scheduleDate(p map[string]any, k string) (*time.Time, error) {
	s, ok := p[k].(string)
	if !ok {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return nil, fmt.Errorf("%s %q: want an ISO 8601 date and time such as 2026-03-05T02:00:00Z", k, s)
	}
	return &t, nil
}

// flexibleWindow reads FlexibleTimeWindow (Mode OFF by default).
func flexibleWindow(v any) (int, error) {
	m, _ := v.(map[string]any)
	mode, _ := m["Mode"].(string)
	switch mode {
	case "", "OFF":
		return 0, nil
	case "FLEXIBLE":
		if n, ok := m["MaximumWindowInMinutes"].(float64); ok {
			return int(n), nil
		}
		return 0, fmt.Errorf("FlexibleTimeWindow: MaximumWindowInMinutes is required when Mode is FLEXIBLE")
	}
	return 0, fmt.Errorf("FlexibleTimeWindow.Mode %q: want OFF or FLEXIBLE", mode)
}
