package asl

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/stepwire/stepwire/emulator/asl/budget"
	"github.com/stepwire/stepwire/emulator/asl/jsonata"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// JValue is a JSONata-mode field value: any JSON value in which every
// string written exactly as "{% expr %}" is an expression; other strings
// are literals (docs/step-functions.md §1.7).
type JValue struct{ root jnode }

type jkind int

const (
	jLiteral jkind = iota
	jExpr
	jObject
	jArray
)

type jnode struct {
	kind    jkind
	literal any
	text    string
	expr    jsonata.Expr
	keys    []string
	items   []jnode
}

// JSONataEnv is what JSONata expressions of a state see.
type JSONataEnv struct {
	// States is the $states object (input, context, result, errorOutput).
	States any
	// Var reads a workflow variable; nil means none is set.
	Var func(name string) (any, bool)
	Now time.Time
	// UUID and Random are the injected sources of $uuid() and $random().
	UUID   func() string
	Random func(lo, hi int64) int64
	// Limits bounds each expression's evaluation (package budget); the
	// zero value is the defaults.
	Limits budget.Limits
}

// Lookup reads $states ("states") or a workflow variable, for the
// expressions evaluated with env.
func (env *JSONataEnv) Lookup(name string) (any, bool) {
	if name == "states" {
		return env.States, true
	}
	if env.Var == nil {
		return nil, false
	}
	return env.Var(name)
}

// QueryError is a JSONata evaluation failure: Step Functions reports it as
// States.QueryEvaluationError with Msg as the cause (after the state
// prefix) and Location in the EvaluationFailed event.
type QueryError struct {
	Location string
	Msg      string
}

func (e *QueryError) Error() string { return e.Msg }

// IsExpr reports whether s is a JSONata expression string.
func IsExpr(s string) bool {
	return len(s) >= 4 && strings.HasPrefix(s, "{%") && strings.HasSuffix(s, "%}")
}

// compileJValue compiles v; expression syntax errors are reported through p.
func compileJValue(v any, p *problems, loc string) *JValue {
	return &JValue{root: compileJNode(v, p, loc)}
}

func compileJNode(v any, p *problems, loc string) jnode {
	switch x := v.(type) {
	case string:
		if !IsExpr(x) {
			return jnode{kind: jLiteral, literal: x}
		}
		text := strings.TrimSpace(x[2 : len(x)-2])
		e, err := jsonata.Default.Compile(text)
		if err != nil {
			p.add(CodeInvalidJSONata, loc, "The JSONata expression '%s' is invalid: %s", text, err.Error())
			return jnode{kind: jLiteral, literal: x}
		}
		checkJSONataRefs(e, p, loc)
		return jnode{kind: jExpr, text: text, expr: e}
	case *jsonv.Object:
		if !hasJExpr(x) {
			return jnode{kind: jLiteral, literal: x}
		}
		n := jnode{kind: jObject, keys: make([]string, 0, x.Len()), items: make([]jnode, 0, x.Len())}
		for _, m := range x.Members {
			n.keys = append(n.keys, m.Key)
			n.items = append(n.items, compileJNode(m.Value, p, loc+"/"+escapePointer(m.Key)))
		}
		return n
	case []any:
		if !hasJExpr(x) {
			return jnode{kind: jLiteral, literal: x}
		}
		n := jnode{kind: jArray, items: make([]jnode, len(x))}
		for i, e := range x {
			n.items[i] = compileJNode(e, p, loc+"/"+itoa(i))
		}
		return n
	}
	return jnode{kind: jLiteral, literal: v}
}

func hasJExpr(v any) bool {
	switch x := v.(type) {
	case string:
		return IsExpr(x)
	case *jsonv.Object:
		for _, m := range x.Members {
			if hasJExpr(m.Value) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if hasJExpr(e) {
				return true
			}
		}
	}
	return false
}

// Literal returns the value when it holds no expression.
func (v *JValue) Literal() (any, bool) { return v.root.literal, v.root.kind == jLiteral }

// Text is the expression when the whole value is one, for error texts.
func (v *JValue) Text() string { return v.root.text }

// Eval evaluates the value; field names it for error texts and locations
// (e.g. "Output" or "Assign").
//
// A value assembling several expressions' results is measured as a value
// built, within env's budgets, before anyone writes it out.
func (v *JValue) Eval(env *JSONataEnv, field string) (any, error) {
	out, err := v.root.eval(env, field)
	if err != nil || (v.root.kind != jObject && v.root.kind != jArray) {
		return out, err
	}
	if err := chargeBuilt(budget.New(env.Limits), out); err != nil {
		return nil, &QueryError{Location: field, Msg: fmt.Sprintf("The value specified for the field '%s' threw an error during evaluation. %s", field, err)}
	}
	return out, nil
}

func (n *jnode) eval(env *JSONataEnv, loc string) (any, error) {
	switch n.kind {
	case jExpr:
		return n.evalExpr(env, loc)
	case jObject:
		o := jsonv.NewBuilder(len(n.keys))
		for i, k := range n.keys {
			v, err := n.items[i].eval(env, loc+"/"+k)
			if err != nil {
				return nil, err
			}
			o.Set(k, v)
		}
		return o.Object(), nil
	case jArray:
		a := make([]any, len(n.items))
		for i := range n.items {
			v, err := n.items[i].eval(env, loc+"/"+itoa(i))
			if err != nil {
				return nil, err
			}
			a[i] = v
		}
		return a, nil
	}
	return n.literal, nil
}

func (n *jnode) evalExpr(env *JSONataEnv, loc string) (any, error) {
	// The expression reads $states and the workflow variables through
	// env (Lookup) rather than a map built for each evaluation.
	jenv := &jsonata.Env{Now: env.Now, UUID: env.UUID, Random: env.Random, Lookup: env, Limits: env.Limits}
	v, err := n.expr.Eval(nil, jenv)
	if err == nil {
		return v, nil
	}
	prefix := fmt.Sprintf("The JSONata expression '%s' specified for the field '%s' ", n.text, loc)
	switch {
	case errors.Is(err, jsonata.ErrUndefined):
		return nil, &QueryError{Location: loc, Msg: prefix + "returned nothing (undefined)."}
	case errors.Is(err, jsonata.ErrUnsupported):
		return nil, &QueryError{Location: loc, Msg: prefix + "returned an unsupported result type."}
	}
	return nil, &QueryError{Location: loc, Msg: prefix + "threw an error during evaluation. " + err.Error()}
}

// TypeError is the QueryError for a result of the wrong JSON type.
func (v *JValue) TypeError(field, want string, got any) error {
	text := v.root.text
	if v.root.kind != jExpr {
		text = jsonv.EncodeString(v.root.literal)
	}
	return &QueryError{Location: field, Msg: fmt.Sprintf(
		"The JSONata expression '%s' specified for the field '%s' returned an unexpected result type. Expected '%s', but was '%s' for value: %s",
		text, field, want, jsonv.TypeName(got), jsonv.EncodeString(got))}
}
