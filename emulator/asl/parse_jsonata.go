package asl

import "github.com/stepwire/stepwire/emulator/asl/jsonv"

// Query languages.
const (
	JSONPath = "JSONPath"
	JSONata  = "JSONata"
)

// queryLanguage resolves a state's query language: its own QueryLanguage
// or the machine's. A JSONata machine cannot downgrade a state to JSONPath.
func (ps *parser) queryLanguage(o *jsonv.Object, loc string) string {
	ql, ok := stringField(o, "QueryLanguage")
	if !ok {
		return ps.def.QueryLanguage
	}
	switch {
	case ql != JSONPath && ql != JSONata:
		ps.p.schema(loc+"/QueryLanguage", "The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]")
		return ps.def.QueryLanguage
	case ql == JSONPath && ps.def.QueryLanguage == JSONata:
		ps.p.schema(loc, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine")
	}
	return ql
}

// jsonataState parses a JSONata state for validation only: its transitions,
// resource, Retry/Catch and nested scopes. Its expressions are not
// compiled; the interpreter refuses to run it (JSONata is not implemented
// yet).
func (ps *parser) jsonataState(b Base, o *jsonv.Object, loc string) State {
	switch b.Type {
	case "Task":
		ps.transition(&b, o, loc)
		t := &Task{Base: b}
		res, ok := stringField(o, "Resource")
		if !ok {
			ps.p.schema(loc, "These fields are required: [Resource]")
		}
		t.Resource = res
		ps.checkResource(res, loc+"/Resource")
		ps.credentials(o, loc)
		t.Retry, t.Catch = ps.retriers(o, loc), ps.catchers(o, loc)
		return t
	case "Pass", "Wait":
		ps.transition(&b, o, loc)
		if b.Type == "Pass" {
			return &Pass{Base: b}
		}
		return &Wait{Base: b}
	case "Succeed":
		return &Succeed{Base: b}
	case "Fail":
		return &Fail{Base: b}
	case "Choice":
		return ps.jsonataChoice(b, o, loc)
	case "Parallel":
		return ps.parallel(b, o, loc)
	case "Map":
		return ps.mapState(b, o, loc)
	}
	return nil
}

func (ps *parser) jsonataChoice(b Base, o *jsonv.Object, loc string) State {
	c := &Choice{Base: b}
	c.Default, _ = stringField(o, "Default")
	v, _ := o.Get("Choices")
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		ps.p.schema(loc, "These fields are required: [Choices]")
		return c
	}
	for i, e := range list {
		rloc := loc + "/Choices/" + itoa(i)
		ro, isObj := e.(*jsonv.Object)
		if !isObj {
			ps.p.schema(rloc, "The choice rule should be an object")
			continue
		}
		next, ok := stringField(ro, "Next")
		if !ok {
			ps.p.schema(rloc, "These fields are required: [Next]")
		}
		if _, has := ro.Get("Condition"); !has {
			ps.p.schema(rloc, "These fields are required: [Condition]")
		}
		c.Choices = append(c.Choices, &Rule{Op: "Condition", Next: next})
	}
	return c
}
