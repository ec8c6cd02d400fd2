package jsonata

import (
	"github.com/xiatechs/jsonata-go/jparse"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// $states holds the state's input, its context object (which repeats the
// execution's input) and, where they exist, the result and errorOutput;
// most expressions read one field of it ($states.input.n). An expression
// that reads $states only through such first steps gets a $states holding
// just the fields it names, so each evaluation converts those alone.

// statesFields returns the $states fields n reads when every mention of
// $states is the first step of a path whose second step is a field name;
// ok is false when $states is read any other way (whole, by wildcard, by
// predicate, as an argument).
func statesFields(n jparse.Node) (fields []string, ok bool) {
	mentions, named := 0, 0
	var walk func(jparse.Node)
	walk = func(n jparse.Node) {
		if v, isVar := n.(*jparse.VariableNode); isVar && v.Name == "states" {
			mentions++
		}
		if p, isPath := n.(*jparse.PathNode); isPath && len(p.Steps) >= 2 {
			v, isVar := p.Steps[0].(*jparse.VariableNode)
			f, isName := p.Steps[1].(*jparse.NameNode)
			if isVar && isName && v.Name == "states" {
				named++
				add(&fields, f.Value)
			}
		}
		for _, c := range allChildren(n) {
			if c != nil {
				walk(c)
			}
		}
	}
	walk(n)
	if mentions != named {
		return nil, false
	}
	if fields == nil {
		fields = []string{}
	}
	return fields, true
}

// statesNative converts the fields of $states the expression reads.
func (x *xiaExpr) statesNative(v any, ko *keyOrder) any {
	st, isObj := v.(*jsonv.Object)
	if !isObj || x.statesOnly == nil {
		return ko.native(v)
	}
	m := make(map[string]any, len(x.statesOnly))
	for _, f := range x.statesOnly {
		if fv, ok := st.Get(f); ok {
			m[f] = ko.native(fv)
		}
	}
	return m
}
