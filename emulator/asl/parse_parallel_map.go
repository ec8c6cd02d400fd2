package asl

import "github.com/stepwire/stepwire/emulator/asl/jsonv"

// parallel parses a Parallel state: Branches, each a scope of its own.
func (ps *parser) parallel(b Base, o *jsonv.Object, loc string) State {
	ps.io(&b, o, loc)
	ps.transition(&b, o, loc)
	p := &Parallel{Base: b}
	v, ok := o.Get("Branches")
	list, isList := v.([]any)
	if !ok || !isList || len(list) == 0 {
		ps.p.schema(loc, "These fields are required: [Branches]")
	}
	for i, e := range list {
		if sc := ps.subScope(e, loc+"/Branches/"+itoa(i)); sc != nil {
			p.Branches = append(p.Branches, sc)
		}
	}
	p.Parameters = ps.template(o, "Parameters", loc)
	p.ResultSelector = ps.template(o, "ResultSelector", loc)
	p.ResultPath = ps.ioPath(o, "ResultPath", loc, true)
	p.Retry = ps.retriers(o, loc)
	p.Catch = ps.catchers(o, loc)
	return p
}

// mapState parses an inline Map state (ItemProcessor or legacy Iterator).
func (ps *parser) mapState(b Base, o *jsonv.Object, loc string) State {
	ps.io(&b, o, loc)
	ps.transition(&b, o, loc)
	m := &Map{Base: b}
	m.Processor, m.Distributed = ps.processor(o, loc)
	m.ItemsPath = ps.optPath(o, "ItemsPath", loc)
	m.ItemSelector = ps.template(o, "ItemSelector", loc)
	if params := ps.template(o, "Parameters", loc); params != nil {
		if m.ItemSelector != nil {
			ps.p.schema(loc, "Only one of 'ItemSelector' or 'Parameters' can be set")
		}
		m.ItemSelector = params
	}
	m.ResultSelector = ps.template(o, "ResultSelector", loc)
	m.ResultPath = ps.ioPath(o, "ResultPath", loc, true)
	if n, ok := ps.intField(o, "MaxConcurrency", loc+"/MaxConcurrency", 0); ok {
		m.MaxConcurrency = n
	}
	m.MaxConcurrencyPath = ps.optPath(o, "MaxConcurrencyPath", loc)
	if _, ok := o.Get("MaxConcurrency"); ok && m.MaxConcurrencyPath != nil {
		ps.p.schema(loc, "Only one of 'MaxConcurrency' or 'MaxConcurrencyPath' can be set")
	}
	m.Retry = ps.retriers(o, loc)
	m.Catch = ps.catchers(o, loc)
	return m
}

// processor reads ItemProcessor (or the legacy Iterator) and, in the
// distributed mode, the Distributed Map's own fields of the state o.
func (ps *parser) processor(o *jsonv.Object, loc string) (*Scope, *Distributed) {
	field := "ItemProcessor"
	v, ok := o.Get(field)
	if _, legacy := o.Get("Iterator"); legacy {
		if ok {
			ps.p.schema(loc, "Only one of 'ItemProcessor' or 'Iterator' can be set")
		}
		field = "Iterator"
		v, ok = o.Get(field)
	}
	if !ok {
		ps.p.schema(loc, "These fields are required: [ItemProcessor]")
		return nil, nil
	}
	ploc := loc + "/" + field
	var d *Distributed
	if po, isObj := v.(*jsonv.Object); isObj {
		if cfg, has := po.Get("ProcessorConfig"); has {
			d = ps.processorConfig(cfg, ploc+"/ProcessorConfig")
		}
	}
	if d != nil {
		// Before the item processor's states change ps.ql.
		ps.distributedFields(d, o, loc)
	} else {
		// An inline Map reads its items from its input and keeps its
		// results in its output (AWS "Map state in Inline mode").
		for _, f := range []string{"ItemReader", "ResultWriter"} {
			if _, has := o.Get(f); has {
				ps.p.schema(loc+"/"+f, "The field '%s' is supported only by a Map state in the DISTRIBUTED mode", f)
			}
		}
	}
	return ps.subScope(v, ploc), d
}

// subScope parses a branch or item processor object {StartAt, States}.
func (ps *parser) subScope(v any, loc string) *Scope {
	o, ok := v.(*jsonv.Object)
	if !ok {
		ps.p.schema(loc, "The value should be an object")
		return nil
	}
	states, hasStates := o.Get("States")
	start, hasStart := o.Get("StartAt")
	var missing []string
	if !hasStates {
		missing = append(missing, "States")
	}
	if !hasStart {
		missing = append(missing, "StartAt")
	}
	if len(missing) > 0 {
		ps.p.schema(loc, "These fields are required: [%s]", joinNames(missing))
		return nil
	}
	sc := &Scope{States: map[string]State{}}
	sc.StartAt, ok = start.(string)
	if !ok {
		ps.p.schema(loc+"/StartAt", "The field 'StartAt' should be a string")
	}
	obj, ok := states.(*jsonv.Object)
	if !ok {
		ps.p.schema(loc+"/States", "The field 'States' should be an object")
		return nil
	}
	ps.fillScope(sc, obj, loc)
	return sc
}

func joinNames(names []string) string {
	out := ""
	for i, n := range names {
		if i > 0 {
			out += ", "
		}
		out += n
	}
	return out
}
