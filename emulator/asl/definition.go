// Package asl parses and validates Amazon States Language definitions
// (JSONPath query language) into typed, pre-compiled states: paths,
// Parameters templates, intrinsic function calls and Choice rules are
// compiled once so that executions never re-parse the definition.
//
// Invalid definitions produce a *DefinitionError that collects every
// problem found, each with the JSON pointer of its place, in the wording
// Step Functions uses for InvalidDefinition.
package asl

import (
	"time"

	"github.com/stepwire/stepwire/emulator/asl/jsonpath"
)

// State machine types.
const (
	TypeStandard = "STANDARD"
	TypeExpress  = "EXPRESS"
)

// Options tune parsing.
type Options struct {
	// Type is STANDARD (the default) or EXPRESS.
	Type string
}

// Definition is a parsed, valid state machine definition.
type Definition struct {
	Comment string
	// Scope holds the top-level StartAt and States.
	Scope
	// TimeoutSeconds is the execution budget; zero when not set.
	TimeoutSeconds int64
	// Type is the state machine type the definition was validated for.
	Type string
	// QueryLanguage is the machine's default, JSONPath or JSONata.
	QueryLanguage QueryLanguage
	// NoJSONataContext is set by Parse when no JSONata expression of the
	// definition can read $states.context, which the interpreter then
	// need not build; a definition built otherwise leaves it false.
	NoJSONataContext bool
}

// Scope is a set of states with its own start: the machine itself, a
// Parallel branch or a Map's item processor. Next targets stay inside it.
type Scope struct {
	StartAt string
	// States maps state names to their parsed form.
	States map[string]State
	// Names lists the state names in definition order.
	Names []string
}

// State is one parsed state: *Task, *Pass, *Choice, *Wait, *Succeed,
// *Fail, *Parallel or *Map.
type State interface {
	// Common returns the fields every state has.
	Common() *Base
}

// Base holds the fields shared by the states.
type Base struct {
	Name    string
	Type    string
	Comment string
	// Next is the following state; empty when End is set (and for
	// Choice, Succeed and Fail).
	Next string
	End  bool
	// InputPath and OutputPath default to $.
	InputPath  IOPath
	OutputPath IOPath
	// QueryLanguage is the state's effective query language.
	QueryLanguage QueryLanguage
	// Assign is the state's variable assignment; nil when absent.
	Assign *Assign
	// Output is a JSONata state's Output; nil when absent.
	Output *JValue
}

// Common implements State.
func (b *Base) Common() *Base { return b }

// IOPath is an InputPath, OutputPath or ResultPath. Absent means $; Null
// records an explicit JSON null, whose meaning depends on the field.
type IOPath struct {
	Null bool
	// Path is nil when the field is absent or null.
	Path *jsonpath.Path
}

// Task is a Task state.
type Task struct {
	Base
	Resource       string
	Parameters     *Template
	ResultSelector *Template
	ResultPath     IOPath
	// TimeoutSeconds and HeartbeatSeconds are zero when not set.
	TimeoutSeconds       int64
	HeartbeatSeconds     int64
	TimeoutSecondsPath   *jsonpath.Path
	HeartbeatSecondsPath *jsonpath.Path
	Retry                []Retrier
	Catch                []Catcher
	// Arguments, TimeoutExpr and HeartbeatExpr are the JSONata forms;
	// nil when absent (the seconds fields also when given as numbers).
	Arguments                  *JValue
	TimeoutExpr, HeartbeatExpr *JValue
}

// Pass is a Pass state.
type Pass struct {
	Base
	// Result is the literal result; HasResult tells null from absent.
	Result     any
	HasResult  bool
	Parameters *Template
	ResultPath IOPath
}

// Wait is a Wait state; exactly one way of waiting is set.
type Wait struct {
	Base
	Seconds       int64
	HasSeconds    bool
	Timestamp     time.Time
	HasTimestamp  bool
	SecondsPath   *jsonpath.Path
	TimestampPath *jsonpath.Path
	// SecondsExpr and TimestampExpr are JSONata expressions.
	SecondsExpr, TimestampExpr *JValue
}

// Succeed is a Succeed state.
type Succeed struct{ Base }

// Fail is a Fail state.
type Fail struct {
	Base
	// Failure holds the static Error and Cause.
	Failure
	// ErrorPath and CausePath are paths or intrinsic calls.
	ErrorPath, CausePath *Expr
	// ErrorExpr and CauseExpr are JSONata expressions.
	ErrorExpr, CauseExpr *JValue
}

// Choice is a Choice state.
type Choice struct {
	Base
	Choices []*Rule
	Default string
}

// Retrier is one entry of Retry.
type Retrier struct {
	ErrorEquals     []ErrorName
	IntervalSeconds int64
	MaxAttempts     int64
	BackoffRate     float64
	// MaxDelaySeconds is zero when not set.
	MaxDelaySeconds int64
	JitterStrategy  string
}

// Catcher is one entry of Catch.
type Catcher struct {
	ErrorEquals []ErrorName
	Next        string
	ResultPath  IOPath
	// Output and Assign are the JSONata (Output) and either-language
	// (Assign) fields of the catcher; nil when absent.
	Output *JValue
	Assign *Assign
}
