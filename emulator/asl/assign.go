package asl

import (
	"strings"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// Assign is a state's (or a Choice rule's, or a catcher's) variable
// assignment. In a JSONPath state it is a template whose "name.$" values
// read the state result; in a JSONata state every value may be an
// expression. Either way it yields an object: variable name → value.
type Assign struct {
	tmpl *Template
	val  *JValue
}

// EvalPath evaluates a JSONPath Assign with env.Input the state result.
func (a *Assign) EvalPath(env *Env) (*jsonv.Object, error) {
	v, err := a.tmpl.Eval(env)
	if err != nil {
		return nil, err
	}
	o, _ := v.(*jsonv.Object)
	return o, nil
}

// EvalJSONata evaluates a JSONata Assign.
func (a *Assign) EvalJSONata(env *JSONataEnv) (*jsonv.Object, error) {
	v, err := a.val.Eval(env, "Assign")
	if err != nil {
		return nil, err
	}
	o, _ := v.(*jsonv.Object)
	return o, nil
}

// JSONata reports whether the assignment is in JSONata form.
func (a *Assign) JSONata() bool { return a.val != nil }

// assign compiles the Assign field of o in the query language ql.
func (ps *parser) assign(o *jsonv.Object, ql QueryLanguage, loc string) *Assign {
	v, ok := o.Get("Assign")
	if !ok {
		return nil
	}
	obj, isObj := v.(*jsonv.Object)
	if !isObj {
		ps.p.schema(loc+"/Assign", "The field 'Assign' should be an object")
		return nil
	}
	for _, m := range obj.Members {
		name := strings.TrimSuffix(m.Key, ".$")
		if name == "" || strings.ContainsAny(name, ".$[]") || name == "states" {
			ps.p.schema(loc+"/Assign", "The variable name '%s' is invalid", name)
		}
	}
	if ql == JSONata {
		return &Assign{val: compileJValue(obj, ps.p, loc+"/Assign")}
	}
	return &Assign{tmpl: compileTemplate(obj, ps.p, loc+"/Assign")}
}

// jvalue compiles an optional JSONata-mode field.
func (ps *parser) jvalue(o *jsonv.Object, field, loc string) *JValue {
	v, ok := o.Get(field)
	if !ok {
		return nil
	}
	return compileJValue(v, ps.p, loc+"/"+field)
}
