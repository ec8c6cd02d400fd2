package asl

import (
	"strings"
	"time"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

func (ps *parser) choice(b Base, o *jsonv.Object, loc string) State {
	ps.io(&b, o, loc)
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
		r := ps.rule(e, rloc)
		if r == nil {
			continue
		}
		ro := e.(*jsonv.Object)
		next, ok := stringField(ro, "Next")
		if !ok {
			ps.p.schema(rloc, "These fields are required: [Next]")
		}
		r.Next = next
		r.Assign = ps.assign(ro, JSONPath, rloc)
		c.Choices = append(c.Choices, r)
	}
	return c
}

func (ps *parser) rule(e any, loc string) *Rule {
	o, ok := e.(*jsonv.Object)
	if !ok {
		ps.p.schema(loc, "The choice rule should be an object")
		return nil
	}
	for _, op := range []string{"And", "Or"} {
		if v, ok := o.Get(op); ok {
			list, _ := v.([]any)
			r := &Rule{Op: op}
			for i, c := range list {
				if cr := ps.rule(c, loc+"/"+op+"/"+itoa(i)); cr != nil {
					r.Children = append(r.Children, cr)
				}
			}
			if len(list) == 0 {
				ps.p.schema(loc+"/"+op, "The field '%s' must not be empty", op)
			}
			return r
		}
	}
	if v, ok := o.Get("Not"); ok {
		child := ps.rule(v, loc+"/Not")
		if child == nil {
			return nil
		}
		return &Rule{Op: "Not", Children: []*Rule{child}}
	}
	return ps.comparison(o, loc)
}

func (ps *parser) comparison(o *jsonv.Object, loc string) *Rule {
	r := &Rule{}
	var ops []string
	for _, m := range o.Members {
		op, isPath := strings.CutSuffix(m.Key, "Path")
		want, known := comparators[op]
		if !known || (isPath && strings.HasPrefix(op, "Is")) || (isPath && op == "StringMatches") {
			continue
		}
		r.Op = op
		ops = append(ops, "'"+m.Key+"'")
		if isPath {
			r.ValuePath = ps.path(m.Value, m.Key, loc+"/"+m.Key)
			continue
		}
		r.Value = m.Value
		if !literalFits(want, m.Value, &r.timestamp) {
			ps.p.schema(loc+"/"+m.Key, "The value for the field '%s' must be a %s", m.Key, want)
		}
	}
	if r.Op == "" {
		ps.p.schema(loc, "The choice rule must have a comparison operator")
		return nil
	}
	if len(ops) > 1 {
		// The rule would otherwise compare with the last operator against
		// a mix of the operands.
		ps.p.schema(loc, "Only one of %s or %s can be set", strings.Join(ops[:len(ops)-1], ", "), ops[len(ops)-1])
		return nil
	}
	v, ok := o.Get("Variable")
	if !ok {
		ps.p.schema(loc, "These fields are required: [Variable]")
		return nil
	}
	r.Variable = ps.path(v, "Variable", loc+"/Variable")
	if r.Variable == nil {
		return nil
	}
	return r
}

// literalFits checks a comparison operand's type; timestamps are parsed
// into ts.
func literalFits(want string, v any, ts *time.Time) bool {
	switch want {
	case "string":
		_, ok := v.(string)
		return ok
	case "number":
		_, ok := v.(jsonv.Number)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "timestamp":
		s, _ := v.(string)
		t, ok := ParseTimestamp(s)
		*ts = t
		return ok
	}
	return false
}
