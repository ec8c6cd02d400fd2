package asl

import "github.com/stepwire/stepwire/emulator/asl/jsonv"

// jsonataState parses a JSONata state: its expressions are compiled once
// here (docs/step-functions.md §1.7).
func (ps *parser) jsonataState(b Base, o *jsonv.Object, loc string) State {
	if b.Type != "Fail" {
		b.Output = ps.jvalue(o, "Output", loc)
	}
	switch b.Type {
	case "Task":
		return ps.jsonataTask(b, o, loc)
	case "Pass", "Wait":
		ps.transition(&b, o, loc)
		if b.Type == "Pass" {
			return &Pass{Base: b}
		}
		return ps.jsonataWait(b, o, loc)
	case "Succeed":
		return &Succeed{Base: b}
	case "Fail":
		f := &Fail{Base: b, ErrorExpr: ps.jvalue(o, "Error", loc), CauseExpr: ps.jvalue(o, "Cause", loc)}
		f.HasError, f.HasCause = f.ErrorExpr != nil, f.CauseExpr != nil
		return f
	case "Choice":
		return ps.jsonataChoice(b, o, loc)
	case "Parallel":
		p := ps.parallel(b, o, loc).(*Parallel)
		p.Arguments = ps.jvalue(o, "Arguments", loc)
		return p
	case "Map":
		return ps.jsonataMap(b, o, loc)
	}
	return nil
}

func (ps *parser) jsonataTask(b Base, o *jsonv.Object, loc string) State {
	ps.transition(&b, o, loc)
	t := &Task{Base: b}
	res, ok := stringField(o, "Resource")
	if !ok {
		ps.p.schema(loc, "These fields are required: [Resource]")
	}
	t.Resource = res
	ps.checkResource(res, loc+"/Resource")
	t.Arguments = ps.jvalue(o, "Arguments", loc)
	ps.checkIntegrationFields(res, o, "Arguments", loc)
	t.TimeoutSeconds, t.TimeoutExpr = ps.secondsField(o, "TimeoutSeconds", loc, 1)
	t.HeartbeatSeconds, t.HeartbeatExpr = ps.secondsField(o, "HeartbeatSeconds", loc, 1)
	if t.TimeoutSeconds > 0 && t.HeartbeatSeconds >= t.TimeoutSeconds {
		ps.p.schema(loc+"/HeartbeatSeconds", "The value for the field 'HeartbeatSeconds' must be smaller than the field 'TimeoutSeconds'")
	}
	ps.credentials(o, loc)
	t.Retry, t.Catch = ps.retriers(o, loc), ps.catchers(o, loc)
	return t
}

// secondsField reads a numeric field that may be a JSONata expression.
func (ps *parser) secondsField(o *jsonv.Object, field, loc string, lowest int64) (int64, *JValue) {
	v, ok := o.Get(field)
	if !ok {
		return 0, nil
	}
	if s, isStr := v.(string); isStr && IsExpr(s) {
		return 0, compileJValue(s, ps.p, loc+"/"+field)
	}
	n, _ := ps.intField(o, field, loc+"/"+field, lowest)
	return n, nil
}

func (ps *parser) jsonataWait(b Base, o *jsonv.Object, loc string) State {
	w := &Wait{Base: b}
	set := 0
	if v, ok := o.Get("Seconds"); ok {
		set++
		if s, isStr := v.(string); isStr && IsExpr(s) {
			w.SecondsExpr = compileJValue(s, ps.p, loc+"/Seconds")
		} else if n, ok := ps.intField(o, "Seconds", loc+"/Seconds", 0); ok {
			w.Seconds, w.HasSeconds = n, true
		}
	}
	if v, ok := o.Get("Timestamp"); ok {
		set++
		s, _ := v.(string)
		if IsExpr(s) {
			w.TimestampExpr = compileJValue(s, ps.p, loc+"/Timestamp")
		} else if t, valid := ParseTimestamp(s); valid {
			w.Timestamp, w.HasTimestamp = t, true
		} else {
			ps.p.schema(loc+"/Timestamp", "String does not match RFC3339 timestamp")
		}
	}
	if set != 1 {
		ps.p.schema(loc, "Exactly one of 'Seconds' or 'Timestamp' must be set")
	}
	return w
}

func (ps *parser) jsonataMap(b Base, o *jsonv.Object, loc string) State {
	ps.transition(&b, o, loc)
	m := &Map{Base: b}
	m.Processor, m.Distributed = ps.processor(o, loc)
	m.Items = ps.jvalue(o, "Items", loc)
	m.ItemSelectorJ = ps.jvalue(o, "ItemSelector", loc)
	m.MaxConcurrency, m.MaxConcurrencyExpr = ps.secondsField(o, "MaxConcurrency", loc, 0)
	if m.Distributed == nil {
		ps.jvalue(o, "ToleratedFailureCount", loc)
		ps.jvalue(o, "ToleratedFailurePercentage", loc)
	}
	m.Retry, m.Catch = ps.retriers(o, loc), ps.catchers(o, loc)
	return m
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
		r := &Rule{Op: "Condition", Next: next}
		if r.Condition = ps.jvalue(ro, "Condition", rloc); r.Condition == nil {
			ps.p.schema(rloc, "These fields are required: [Condition]")
		}
		r.Output = ps.jvalue(ro, "Output", rloc)
		r.Assign = ps.assign(ro, JSONata, rloc)
		c.Choices = append(c.Choices, r)
	}
	return c
}
