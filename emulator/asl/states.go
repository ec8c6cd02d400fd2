package asl

import (
	"strings"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

func (ps *parser) task(b Base, o *jsonv.Object, loc string) State {
	ps.io(&b, o, loc)
	ps.transition(&b, o, loc)
	t := &Task{Base: b}
	res, ok := stringField(o, "Resource")
	if !ok {
		ps.p.schema(loc, "These fields are required: [Resource]")
	}
	t.Resource = res
	ps.checkResource(res, loc+"/Resource")
	t.Parameters = ps.template(o, "Parameters", loc)
	ps.checkIntegrationFields(res, o, "Parameters", loc)
	t.ResultSelector = ps.template(o, "ResultSelector", loc)
	t.ResultPath = ps.ioPath(o, "ResultPath", loc, true)
	t.TimeoutSeconds, _ = ps.positiveInt(o, "TimeoutSeconds", loc+"/TimeoutSeconds")
	t.HeartbeatSeconds, _ = ps.positiveInt(o, "HeartbeatSeconds", loc+"/HeartbeatSeconds")
	t.TimeoutSecondsPath = ps.optPath(o, "TimeoutSecondsPath", loc)
	t.HeartbeatSecondsPath = ps.optPath(o, "HeartbeatSecondsPath", loc)
	if t.TimeoutSeconds > 0 && t.TimeoutSecondsPath != nil {
		ps.p.schema(loc, "Only one of 'TimeoutSeconds' or 'TimeoutSecondsPath' can be set")
	}
	if t.HeartbeatSeconds > 0 && t.HeartbeatSecondsPath != nil {
		ps.p.schema(loc, "Only one of 'HeartbeatSeconds' or 'HeartbeatSecondsPath' can be set")
	}
	if t.TimeoutSeconds > 0 && t.HeartbeatSeconds >= t.TimeoutSeconds {
		ps.p.schema(loc+"/HeartbeatSeconds", "The value for the field 'HeartbeatSeconds' must be smaller than the field 'TimeoutSeconds'")
	}
	ps.credentials(o, loc)
	t.Retry = ps.retriers(o, loc)
	t.Catch = ps.catchers(o, loc)
	return t
}

func (ps *parser) credentials(o *jsonv.Object, loc string) {
	c, ok := o.Get("Credentials")
	if !ok {
		return
	}
	co, isObj := c.(*jsonv.Object)
	if isObj {
		if _, has := co.Get("RoleArn"); has {
			return
		}
		if _, has := co.Get("RoleArn.$"); has {
			return
		}
	}
	ps.p.schema(loc+"/Credentials", "The field 'RoleArn' is required but was missing")
}

// checkResource refuses a service integration AWS does not offer
// (resource.go) and applies the Express restrictions on resources.
func (ps *parser) checkResource(res, loc string) {
	if !ps.checkIntegration(res, loc) || ps.def.Type != TypeExpress {
		return
	}
	switch {
	case strings.HasSuffix(res, ".waitForTaskToken"):
		ps.p.schema(loc, "Express state machine does not support '.waitForTaskToken' service integration ")
	case strings.Contains(res, ".sync"):
		ps.p.schema(loc, "Express state machine does not support '.sync' service integration")
	case strings.HasPrefix(res, "arn:aws:states:") && strings.Contains(res, ":activity:"):
		ps.p.schema(loc, "Express state machine does not support Activity ARN")
	}
}

func (ps *parser) pass(b Base, o *jsonv.Object, loc string) State {
	ps.io(&b, o, loc)
	ps.transition(&b, o, loc)
	p := &Pass{Base: b}
	p.Result, p.HasResult = o.Get("Result")
	p.Parameters = ps.template(o, "Parameters", loc)
	p.ResultPath = ps.ioPath(o, "ResultPath", loc, true)
	return p
}

func (ps *parser) wait(b Base, o *jsonv.Object, loc string) State {
	ps.io(&b, o, loc)
	ps.transition(&b, o, loc)
	w := &Wait{Base: b}
	set := 0
	if n, ok := ps.intField(o, "Seconds", loc+"/Seconds", 0); ok {
		w.Seconds, w.HasSeconds = n, true
		set++
	}
	if v, ok := o.Get("Timestamp"); ok {
		set++
		s, _ := v.(string)
		t, valid := ParseTimestamp(s)
		if !valid {
			ps.p.schema(loc+"/Timestamp", "String does not match RFC3339 timestamp")
		}
		w.Timestamp, w.HasTimestamp = t, valid
	}
	if w.SecondsPath = ps.optPath(o, "SecondsPath", loc); w.SecondsPath != nil {
		set++
	}
	if w.TimestampPath = ps.optPath(o, "TimestampPath", loc); w.TimestampPath != nil {
		set++
	}
	if set != 1 {
		ps.p.schema(loc, "Exactly one of 'Seconds', 'Timestamp', 'SecondsPath' or 'TimestampPath' must be set")
	}
	return w
}

func (ps *parser) fail(b Base, o *jsonv.Object, loc string) State {
	f := &Fail{Base: b}
	f.Error, f.HasError = stringField(o, "Error")
	f.Cause, f.HasCause = stringField(o, "Cause")
	f.ErrorPath = ps.expr(o, "ErrorPath", loc)
	f.CausePath = ps.expr(o, "CausePath", loc)
	if f.HasError && f.ErrorPath != nil {
		ps.p.schema(loc, "Only one of 'Error' or 'ErrorPath' can be set")
	}
	if f.HasCause && f.CausePath != nil {
		ps.p.schema(loc, "Only one of 'Cause' or 'CausePath' can be set")
	}
	return f
}

func (ps *parser) expr(o *jsonv.Object, field, loc string) *Expr {
	v, ok := o.Get(field)
	if !ok {
		return nil
	}
	s, _ := v.(string)
	e, err := compileExpr(s)
	if err != nil {
		ps.p.schema(loc+"/"+field, "The value for the field '%s' must be a valid JSONPath or a valid intrinsic function call", field)
		return nil
	}
	return e
}

func (ps *parser) retriers(o *jsonv.Object, loc string) []Retrier {
	v, ok := o.Get("Retry")
	if !ok {
		return nil
	}
	list, _ := v.([]any)
	out := make([]Retrier, 0, len(list))
	for i, e := range list {
		rloc := loc + "/Retry/" + itoa(i)
		ro, isObj := e.(*jsonv.Object)
		if !isObj {
			ps.p.schema(rloc, "The retrier should be an object")
			continue
		}
		r := Retrier{IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2.0, JitterStrategy: "NONE"}
		r.ErrorEquals = ps.errorEquals(ro, rloc)
		if n, ok := ps.intField(ro, "IntervalSeconds", rloc+"/IntervalSeconds", 1); ok {
			r.IntervalSeconds = n
		}
		if n, ok := ps.intField(ro, "MaxAttempts", rloc+"/MaxAttempts", 0); ok {
			r.MaxAttempts = n
		}
		if f, ok := ps.floatField(ro, "BackoffRate", rloc+"/BackoffRate"); ok {
			if f < 1 {
				ps.p.schema(rloc+"/BackoffRate", "The value for the field 'BackoffRate' must be at least 1.0")
			}
			r.BackoffRate = f
		}
		if n, ok := ps.intField(ro, "MaxDelaySeconds", rloc+"/MaxDelaySeconds", 1); ok {
			r.MaxDelaySeconds = n
		}
		if s, ok := stringField(ro, "JitterStrategy"); ok {
			if s != "FULL" && s != "NONE" {
				ps.p.schema(rloc+"/JitterStrategy", "The field 'JitterStrategy' should have one of these values: [FULL, NONE]")
			}
			r.JitterStrategy = s
		}
		out = append(out, r)
	}
	ps.allLast(list, loc, "Retry", "retrier")
	return out
}

// allLast reports a States.ALL entry that is not the last one.
func (ps *parser) allLast(list []any, loc, field, what string) {
	for i, e := range list[:max(0, len(list)-1)] {
		o, _ := e.(*jsonv.Object)
		if o == nil {
			continue
		}
		v, _ := o.Get("ErrorEquals")
		names, _ := v.([]any)
		for _, n := range names {
			if n == string(StatesALL) {
				ps.p.schema(loc+"/"+field+"/"+itoa(i)+"/ErrorEquals", "'States.ALL' must appear in the last %s", what)
			}
		}
	}
}

func (ps *parser) catchers(o *jsonv.Object, loc string) []Catcher {
	v, ok := o.Get("Catch")
	if !ok {
		return nil
	}
	list, _ := v.([]any)
	out := make([]Catcher, 0, len(list))
	for i, e := range list {
		cloc := loc + "/Catch/" + itoa(i)
		co, isObj := e.(*jsonv.Object)
		if !isObj {
			ps.p.schema(cloc, "The catcher should be an object")
			continue
		}
		c := Catcher{ErrorEquals: ps.errorEquals(co, cloc)}
		next, ok := stringField(co, "Next")
		if !ok {
			ps.p.schema(cloc, "These fields are required: [Next]")
		}
		c.Next = next
		c.ResultPath = ps.ioPath(co, "ResultPath", cloc, true)
		ps.p.inCatcher = true
		c.Assign = ps.assign(co, ps.ql, cloc)
		if ps.ql == JSONata {
			c.Output = ps.jvalue(co, "Output", cloc)
		}
		ps.p.inCatcher = false
		out = append(out, c)
	}
	ps.allLast(list, loc, "Catch", "catcher")
	return out
}

func (ps *parser) errorEquals(o *jsonv.Object, loc string) []ErrorName {
	v, ok := o.Get("ErrorEquals")
	list, isList := v.([]any)
	if !ok || !isList || len(list) == 0 {
		ps.p.schema(loc, "These fields are required: [ErrorEquals]")
		return nil
	}
	out := make([]ErrorName, 0, len(list))
	for _, e := range list {
		s, _ := e.(string)
		out = append(out, ErrorName(s))
	}
	for _, s := range out {
		if s == StatesALL && len(out) > 1 {
			ps.p.schema(loc+"/ErrorEquals", "'States.ALL' must appear alone in 'ErrorEquals'")
		}
	}
	return out
}

func itoa(i int) string { return string(jsonv.IntNumber(int64(i))) }

// checkTransitions reports Next targets that name no state of the scope;
// loc is the pointer of the object holding the scope's States.
func (ps *parser) checkTransitions(sc *Scope, loc string) {
	for _, name := range sc.Names {
		st := sc.States[name]
		sloc := loc + "/States/" + escapePointer(name)
		for _, t := range transitions(st) {
			if _, ok := sc.States[t.target]; !ok {
				ps.p.add(CodeMissingTransition, sloc+t.field, "Missing 'Next' target: %s", t.target)
			}
		}
	}
}

type transitionRef struct{ field, target string }

func transitions(st State) []transitionRef {
	var out []transitionRef
	if b := st.Common(); b.Next != "" {
		out = append(out, transitionRef{"/Next", b.Next})
	}
	switch s := st.(type) {
	case *Task:
		out = catchRefs(out, s.Catch)
	case *Parallel:
		out = catchRefs(out, s.Catch)
	case *Map:
		out = catchRefs(out, s.Catch)
	case *Choice:
		for i, r := range s.Choices {
			out = append(out, transitionRef{"/Choices/" + itoa(i) + "/Next", r.Next})
		}
		if s.Default != "" {
			out = append(out, transitionRef{"/Default", s.Default})
		}
	}
	return out
}

func catchRefs(out []transitionRef, cs []Catcher) []transitionRef {
	for i, c := range cs {
		out = append(out, transitionRef{"/Catch/" + itoa(i) + "/Next", c.Next})
	}
	return out
}
