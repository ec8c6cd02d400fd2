package asl

import (
	"fmt"
	"strings"

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
	return v, nil
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

// Template is a compiled Parameters, ResultSelector or ItemSelector
// object: keys ending in ".$" take an expression, other values are
// literals (nested objects and arrays are templates too).
type Template struct {
	root tnode
}

type tnode struct {
	literal any
	fields  []tfield // object node when non-nil or isObject
	items   []tnode  // array node when isArray
	kind    tkind
}

type tkind int

const (
	tLiteral tkind = iota
	tObject
	tArray
)

type tfield struct {
	key  string // output key (".$" removed)
	raw  string // key as written
	expr *Expr  // set for ".$" keys
	node tnode
}

// Eval builds the template's output document.
func (t *Template) Eval(env *Env) (any, error) { return t.root.eval(env) }

func (n *tnode) eval(env *Env) (any, error) {
	switch n.kind {
	case tObject:
		o := jsonv.NewObject(len(n.fields))
		for i := range n.fields {
			f := &n.fields[i]
			var v any
			var err error
			if f.expr != nil {
				v, err = f.expr.Eval(env, f.raw)
			} else {
				v, err = f.node.eval(env)
			}
			if err != nil {
				return nil, err
			}
			o.Set(f.key, v)
		}
		return o, nil
	case tArray:
		a := make([]any, len(n.items))
		for i := range n.items {
			v, err := n.items[i].eval(env)
			if err != nil {
				return nil, err
			}
			a[i] = v
		}
		return a, nil
	}
	return n.literal, nil
}

// compileTemplate compiles v; problems are reported through p at loc.
func compileTemplate(v any, p *problems, loc string) *Template {
	return &Template{root: compileNode(v, p, loc)}
}

func compileNode(v any, p *problems, loc string) tnode {
	switch x := v.(type) {
	case *jsonv.Object:
		if !hasDynamic(x) {
			return tnode{kind: tLiteral, literal: x}
		}
		n := tnode{kind: tObject, fields: make([]tfield, 0, x.Len())}
		for _, m := range x.Members {
			f := tfield{key: m.Key, raw: m.Key}
			if strings.HasSuffix(m.Key, ".$") {
				f.key = strings.TrimSuffix(m.Key, ".$")
				s, ok := m.Value.(string)
				var err error
				if ok {
					f.expr, err = compileExpr(s)
				}
				if !ok || err != nil {
					p.schema(loc, "The value for the field '%s' must be a valid JSONPath or a valid intrinsic function call", m.Key)
					continue
				}
			} else {
				f.node = compileNode(m.Value, p, loc)
			}
			n.fields = append(n.fields, f)
		}
		return n
	case []any:
		if !hasDynamic(x) {
			return tnode{kind: tLiteral, literal: x}
		}
		n := tnode{kind: tArray, items: make([]tnode, len(x))}
		for i, e := range x {
			n.items[i] = compileNode(e, p, loc)
		}
		return n
	}
	return tnode{kind: tLiteral, literal: v}
}

// hasDynamic reports whether v contains any ".$" key.
func hasDynamic(v any) bool {
	switch x := v.(type) {
	case *jsonv.Object:
		for _, m := range x.Members {
			if strings.HasSuffix(m.Key, ".$") || hasDynamic(m.Value) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if hasDynamic(e) {
				return true
			}
		}
	}
	return false
}
