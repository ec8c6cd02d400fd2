package asl

import (
	"fmt"
	"strings"

	"github.com/stepwire/stepwire/emulator/asl/budget"
	"github.com/stepwire/stepwire/emulator/asl/jsonpath"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// Env is what a template, path expression or intrinsic call reads.
type Env struct {
	// Input is the document $ refers to.
	Input any
	// Context is the context object $$ refers to.
	Context any
	// UUID returns a fresh v4 UUID (States.UUID); nil makes it fail.
	UUID func() string
	// Random returns an integer in [lo, hi] (States.MathRandom); nil makes
	// it fail.
	Random func(lo, hi int64) int64
	// Var reads a workflow variable ($name paths); nil means none is set.
	Var func(name string) (any, bool)
	// Limits bounds each path and intrinsic evaluation (package budget);
	// the zero value is the defaults.
	Limits budget.Limits
}

// Root returns the document a path reads: the input, the context object
// ($$) or a variable ($name); ok is false for an unset variable.
func (env *Env) Root(p *jsonpath.Path) (any, bool) {
	switch {
	case p.Context:
		return env.Context, true
	case p.Var != "":
		if env.Var == nil {
			return nil, false
		}
		return env.Var(p.Var)
	}
	return env.Input, true
}

// Lookup evaluates p against its root.
func (env *Env) Lookup(p *jsonpath.Path) (any, bool) {
	doc, ok := env.Root(p)
	if !ok {
		return nil, false
	}
	return p.Get(doc)
}

// missError is the States.Runtime cause for a reference path (a Choice
// Variable or ...Path operand) that selects nothing: "Invalid path '$.a.b' :
// " and the Jayway wording of jsonpath.Path.Miss.
func (env *Env) missError(p *jsonpath.Path) error {
	doc, _ := env.Root(p)
	return evalErrorf("Invalid path '%s' : %s", p.Text, p.Miss(doc))
}

// EvalError is a runtime evaluation failure; Step Functions reports it as
// States.Runtime with Msg as the cause (after the state prefix).
type EvalError struct{ Msg string }

func (e *EvalError) Error() string { return e.Msg }

func evalErrorf(format string, args ...any) error {
	return &EvalError{Msg: fmt.Sprintf(format, args...)}
}

// Expr is a path or an intrinsic function call, as found in a "key.$"
// value, ErrorPath or CausePath.
type Expr struct {
	Text string
	Path *jsonpath.Path
	Call *Call
}

// Eval evaluates the expression; field names the definition field for error
// texts (e.g. "value.$" or "ErrorPath").
func (e *Expr) Eval(env *Env, field string) (any, error) {
	if e.Call != nil {
		return e.Call.Eval(env)
	}
	v, ok := env.Lookup(e.Path)
	if !ok {
		return nil, evalErrorf("The JSONPath '%s' specified for the field '%s' could not be found in the input '%s'",
			e.Text, field, jsonv.Encode(env.Input))
	}
	return v, pathBuilt(meterFor(env), e.Path, v)
}

// pathBuilt charges the array of matches a path that is not a reference
// path builds; a reference path returns part of its document, built
// before.
func pathBuilt(m *budget.Meter, p *jsonpath.Path, v any) error {
	if p.IsReference() {
		return nil
	}
	return chargeBuilt(m, v)
}

func compileExpr(text string) (*Expr, error) {
	if strings.HasPrefix(text, "$") {
		p, err := jsonpath.Compile(text)
		if err != nil {
			return nil, err
		}
		return &Expr{Text: text, Path: p}, nil
	}
	if strings.HasPrefix(text, "States.") {
		c, err := parseCall(text)
		if err != nil {
			return nil, err
		}
		return &Expr{Text: text, Call: c}, nil
	}
	return nil, fmt.Errorf("%q is neither a path nor an intrinsic function call", text)
}
