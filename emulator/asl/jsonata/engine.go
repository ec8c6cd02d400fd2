// Package jsonata evaluates the JSONata expressions of Step Functions
// JSONata states ({% ... %} strings) behind a small interface, so that the
// engine doing the work can be replaced without touching the interpreter.
//
// Values going in and coming out are stepwire's JSON values (package jsonv).
// The engine never reads the clock or draws random numbers on its own:
// $now(), $millis(), $random() and $uuid() take their values from Env,
// which the interpreter fills from its injected sources.
//
// The engine in use is chosen in docs/jsonata-engine.md: a JSONata 1.x
// port from the Go module proxy, with the gaps to JSONata 2.0.x that
// Step Functions evaluates with closed in this package (Step Functions
// functions, 2.x error codes and texts).
package jsonata

import (
	"errors"
	"time"

	"github.com/stepwire/stepwire/emulator/asl/budget"
)

// ErrUndefined is returned when an expression evaluates to nothing
// (JSONata's undefined). It is not an evaluation failure by itself: the
// caller decides whether a value was required.
var ErrUndefined = errors.New("jsonata: undefined result")

// Engine compiles expressions.
type Engine interface {
	// Compile parses an expression (the text between {% and %}); a syntax
	// error is an *Error.
	Compile(text string) (Expr, error)
}

// Expr is a compiled expression, safe for concurrent evaluation.
type Expr interface {
	// Eval evaluates the expression with input bound to $ and env's
	// variables bound by name. It returns a jsonv value, ErrUndefined, a
	// *Error, or ErrUnsupported for results JSON cannot hold (functions).
	Eval(input any, env *Env) (any, error)
	// Vars lists the variable names the expression may read (without $),
	// so callers can skip building the others.
	Vars() []string
	// Refs reports the top-level names and $states fields the expression
	// reads.
	Refs() Refs
}

// ErrUnsupported reports a result that is not JSON, such as a function.
var ErrUnsupported = errors.New("jsonata: unsupported result type")

// Env is what one evaluation sees besides its input.
type Env struct {
	// Vars maps variable names (without $) to jsonv values; "states" is
	// Step Functions' $states.
	Vars map[string]any
	// Lookup, when set, is asked for the names Vars does not hold, so a
	// caller can lend its variables without copying them into a map for
	// each evaluation.
	Lookup Lookup
	// Now is the time $now() and $millis() report.
	Now time.Time
	// UUID returns a fresh v4 UUID for $uuid(); nil makes $uuid() fail.
	UUID func() string
	// Random returns an integer in [lo, hi] for $random() and $shuffle();
	// nil makes $random() return 0.
	Random func(lo, hi int64) int64
	// Limits bounds the evaluation's steps and memory (package budget);
	// the zero value is the defaults.
	Limits budget.Limits
}

// Lookup reads variables by name (without $).
type Lookup interface {
	Lookup(name string) (any, bool)
}

// get reads a variable from Vars, then from Lookup.
func (e *Env) get(name string) (any, bool) {
	if v, ok := e.Vars[name]; ok {
		return v, true
	}
	if e.Lookup != nil {
		return e.Lookup.Lookup(name)
	}
	return nil, false
}

// Error is a JSONata error with its reference code, e.g. T1006.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string {
	if e.Code == "" {
		return e.Message
	}
	return e.Code + ": " + e.Message
}

// Default is the engine stepwire evaluates with.
var Default Engine = xiaEngine{}
