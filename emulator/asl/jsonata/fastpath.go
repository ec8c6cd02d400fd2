package jsonata

import (
	"strings"

	"github.com/xiatechs/jsonata-go/jparse"

	"github.com/stepwire/stepwire/emulator/asl/budget"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// A fast path evaluates the commonest expressions of Step Functions
// definitions on stepwire's values, without converting them for the
// engine: a path of field names from a variable ($states.input.n,
// $order.id) and the comparison of such a path with a number literal
// ($states.input.n > 3). It answers only where the engine's answer is
// plain: every value on the way an object, the value reached a string, a
// boolean, a number or an object, the budget not reached. Anything else
// (an array, null, a missing field, a failure) is left to the engine, so
// results and errors stay the engine's.
type fastPath struct {
	// root is the variable the path starts from; fields are its steps.
	root   string
	fields []string
	// op, when set, compares the value reached with num.
	op  jparse.ComparisonOperator
	num float64
}

// compileFast recognises n as a fast path; text is the expression, whose
// quotes and comments the engine rewrites before parsing, so expressions
// with any are left to it.
func compileFast(text string, n jparse.Node) *fastPath {
	if strings.ContainsAny(text, "\"'`/") {
		return nil
	}
	if c, ok := n.(*jparse.ComparisonOperatorNode); ok {
		num, isNum := c.RHS.(*jparse.NumberNode)
		f := compilePath(c.LHS)
		if !isNum || f == nil {
			return nil
		}
		f.op, f.num = c.Type, num.Value
		return f
	}
	return compilePath(n)
}

func compilePath(n jparse.Node) *fastPath {
	p, ok := n.(*jparse.PathNode)
	if !ok || p.KeepArrays || len(p.Steps) < 2 {
		return nil
	}
	v, ok := p.Steps[0].(*jparse.VariableNode)
	if !ok || v.Name == "" || v.Name == "$" || reserved(v.Name) || unbound(v.Name) {
		return nil
	}
	f := &fastPath{root: v.Name}
	for _, s := range p.Steps[1:] {
		name, ok := s.(*jparse.NameNode)
		if !ok {
			return nil
		}
		f.fields = append(f.fields, name.Value)
	}
	return f
}

// eval returns the expression's value, or ok false for the engine to
// evaluate it.
func (f *fastPath) eval(env *Env) (any, bool) {
	v, ok := env.get(f.root)
	for _, name := range f.fields {
		o, isObj := v.(*jsonv.Object)
		if !ok || !isObj {
			return nil, false
		}
		v, ok = o.Get(name)
	}
	if !ok {
		return nil, false
	}
	if f.op != 0 {
		return f.compare(v)
	}
	switch x := v.(type) {
	case string, bool:
		return x, true
	case jsonv.Number:
		return Number(x.Float()), true
	case *jsonv.Object:
		c, _ := canonical(x)
		return fitted(c, env.Limits)
	}
	return nil, false
}

func (f *fastPath) compare(v any) (any, bool) {
	n, ok := v.(jsonv.Number)
	if !ok {
		return nil, false
	}
	// The engine's own comparisons (lt, lte) on float64 values.
	x := n.Float()
	switch f.op {
	case jparse.ComparisonEqual:
		return x == f.num, true
	case jparse.ComparisonNotEqual:
		return x != f.num, true
	case jparse.ComparisonLess:
		return x < f.num, true
	case jparse.ComparisonLessEqual:
		return x <= f.num, true
	case jparse.ComparisonGreater:
		return !(x <= f.num), true
	case jparse.ComparisonGreaterEqual:
		return !(x < f.num), true
	}
	return nil, false
}

// fitted is v when it fits the memory budget of an evaluation, as the
// engine's result is measured; past the budget the engine reports it.
func fitted(v any, l budget.Limits) (any, bool) {
	m := budget.New(l)
	size, cells := budget.Size(v, m.Room()+1)
	if m.Step(measureCost(cells)) != nil || m.Reserve(size) != nil {
		return nil, false
	}
	return v, true
}

// canonical is v with its numbers written as the engine writes them
// (Number), sharing every part that already is; changed reports a copy.
func canonical(v any) (out any, changed bool) {
	switch x := v.(type) {
	case jsonv.Number:
		if c := Number(x.Float()); c != x {
			return c, true
		}
	case []any:
		var a []any
		for i, e := range x {
			if c, ch := canonical(e); ch || a != nil {
				if a == nil {
					a = append([]any(nil), x...)
				}
				a[i] = c
			}
		}
		if a != nil {
			return a, true
		}
	case *jsonv.Object:
		var o *jsonv.Object
		for i, mb := range x.Members {
			if c, ch := canonical(mb.Value); ch || o != nil {
				if o == nil {
					o = &jsonv.Object{Members: append([]jsonv.Member(nil), x.Members...)}
				}
				o.Members[i].Value = c
			}
		}
		if o != nil {
			return o, true
		}
	}
	return v, false
}
