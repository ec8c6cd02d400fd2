package asl

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/stepwire/stepwire/emulator/asl/jsonpath"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// stateTypes is the list AWS names when Type is unknown.
const stateTypes = "[Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]"

// Parse parses and validates a definition. An invalid definition returns a
// *DefinitionError listing every problem found.
func Parse(definition []byte, opts Options) (*Definition, error) {
	if opts.Type == "" {
		opts.Type = TypeStandard
	}
	p := &problems{}
	doc, err := jsonv.Decode(definition)
	if err != nil {
		p.list = append(p.list, jsonProblem(definition, err))
		return nil, &DefinitionError{Problems: p.list}
	}
	top, ok := doc.(*jsonv.Object)
	if !ok {
		p.schema("", "Definition must be a valid JSON object")
		return nil, &DefinitionError{Problems: p.list}
	}
	def := &Definition{Type: opts.Type, Scope: Scope{States: map[string]State{}}}
	ps := &parser{p: p, def: def}
	ps.top(top)
	if len(p.list) > 0 {
		return nil, &DefinitionError{Problems: p.list}
	}
	def.NoJSONataContext = !p.readsContext
	return def, nil
}

// jsonProblem describes unparseable text the way Jackson words it.
func jsonProblem(text []byte, err error) Problem {
	var se *jsonv.SyntaxError
	if !errors.As(err, &se) || strings.TrimSpace(string(text)) == "" {
		return Problem{Code: CodeSchema, Message: "Definition must be a valid JSON object"}
	}
	line, col := 1, 1
	for _, c := range text[:min(se.Offset, len(text))] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	loc := fmt.Sprintf("[Source: (String)%q; line: %d, column: %d]", string(text), line, col)
	msg := se.Msg
	if se.Token != "" {
		msg = fmt.Sprintf("Unrecognized token '%s': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')", se.Token)
	}
	return Problem{Code: CodeInvalidJSON, Message: msg + "\n at " + loc, Location: loc}
}

type parser struct {
	p   *problems
	def *Definition
	// seen holds every state name parsed so far, all scopes included.
	seen map[string]bool
	// ql is the query language of the state being parsed.
	ql QueryLanguage
}

func (ps *parser) top(top *jsonv.Object) {
	var missing []string
	states, hasStates := top.Get("States")
	start, hasStart := top.Get("StartAt")
	if !hasStates {
		missing = append(missing, "States")
	}
	if !hasStart {
		missing = append(missing, "StartAt")
	}
	if len(missing) > 0 {
		ps.p.schema("/", "These fields are required: [%s]", strings.Join(missing, ", "))
		return
	}
	ps.def.Comment, _ = stringField(top, "Comment")
	ps.def.QueryLanguage = JSONPath
	if ql, ok := ps.readQueryLanguage(top, ""); ok {
		ps.def.QueryLanguage = ql
	}
	if n, ok := ps.positiveInt(top, "TimeoutSeconds", "/TimeoutSeconds"); ok {
		ps.def.TimeoutSeconds = n
	}
	s, ok := start.(string)
	if !ok {
		ps.p.schema("/StartAt", "The field 'StartAt' should be a string")
	}
	ps.def.StartAt = s
	obj, ok := states.(*jsonv.Object)
	if !ok {
		ps.p.schema("/States", "The field 'States' should be an object")
		return
	}
	ps.def.States = map[string]State{}
	ps.fillScope(&ps.def.Scope, obj, "")
}

// fillScope parses the States of a scope whose StartAt is already set and
// checks its transitions; loc is the pointer of the object holding them.
func (ps *parser) fillScope(sc *Scope, obj *jsonv.Object, loc string) {
	ps.states(sc, obj, loc+"/States")
	valid := ps.schemaValid()
	if _, found := sc.States[sc.StartAt]; !found && valid {
		ps.p.add(CodeMissingTransition, loc+"/StartAt", "Missing 'Next' target: %s", sc.StartAt)
	}
	ps.checkTransitions(sc, loc)
	if valid {
		ps.checkGraph(sc, loc)
	}
}

func (ps *parser) states(sc *Scope, obj *jsonv.Object, loc string) {
	for _, m := range obj.Members {
		sloc := loc + "/" + escapePointer(m.Key)
		ps.checkDuplicate(m.Key, sloc)
		if len(m.Key) == 0 || len(m.Key) > 80 {
			ps.p.schema(sloc, "State name must be between 1 and 80 characters")
		}
		so, ok := m.Value.(*jsonv.Object)
		if !ok {
			ps.p.schema(sloc, "The state should be an object")
			continue
		}
		if st := ps.state(m.Key, so, sloc); st != nil {
			sc.States[m.Key] = st
			sc.Names = append(sc.Names, m.Key)
		}
	}
}

func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func (ps *parser) state(name string, o *jsonv.Object, loc string) State {
	typ, _ := stringField(o, "Type")
	b := Base{Name: name, Type: typ, QueryLanguage: ps.queryLanguage(o, loc)}
	defer func(outer QueryLanguage) { ps.ql = outer }(ps.ql)
	ps.ql = b.QueryLanguage
	b.Comment, _ = stringField(o, "Comment")
	b.Assign = ps.assign(o, b.QueryLanguage, loc)
	ps.checkFields(typ, b.QueryLanguage, o, loc)
	if b.QueryLanguage == JSONata {
		if st := ps.jsonataState(b, o, loc); st != nil {
			return st
		}
	}
	switch typ {
	case "Task":
		return ps.task(b, o, loc)
	case "Pass":
		return ps.pass(b, o, loc)
	case "Choice":
		return ps.choice(b, o, loc)
	case "Wait":
		return ps.wait(b, o, loc)
	case "Succeed":
		ps.io(&b, o, loc)
		return &Succeed{Base: b}
	case "Fail":
		return ps.fail(b, o, loc)
	case "Parallel":
		return ps.parallel(b, o, loc)
	case "Map":
		return ps.mapState(b, o, loc)
	case "":
		if _, ok := o.Get("Type"); !ok {
			ps.p.schema(loc, "These fields are required: [Type]")
			return nil
		}
	}
	ps.p.schema(loc+"/Type", "The field 'Type' should have one of these values: %s", stateTypes)
	return nil
}

// io reads InputPath and OutputPath, and Next/End for states that have
// them.
func (ps *parser) io(b *Base, o *jsonv.Object, loc string) {
	b.InputPath = ps.ioPath(o, "InputPath", loc, false)
	b.OutputPath = ps.ioPath(o, "OutputPath", loc, false)
}

func (ps *parser) transition(b *Base, o *jsonv.Object, loc string) {
	next, hasNext := o.Get("Next")
	end, hasEnd := o.Get("End")
	switch {
	case hasNext && hasEnd && end == true:
		ps.p.schema(loc, "Only one of 'Next' or 'End' can be set")
	case hasNext:
		s, ok := next.(string)
		if !ok {
			ps.p.schema(loc+"/Next", "The field 'Next' should be a string")
		}
		b.Next = s
	case hasEnd && end == true:
		b.End = true
	default:
		ps.p.schema(loc, "These fields are required: [Next or End]")
	}
}

func (ps *parser) ioPath(o *jsonv.Object, field, loc string, reference bool) IOPath {
	v, ok := o.Get(field)
	if !ok {
		return IOPath{}
	}
	if v == nil {
		return IOPath{Null: true}
	}
	p := ps.path(v, field, loc+"/"+field)
	if p != nil && reference && !p.IsReference() {
		ps.p.schema(loc+"/"+field, "The value for the field '%s' must be a valid Reference Path", field)
	}
	if p != nil && p.Context && field == "ResultPath" {
		ps.p.schema(loc+"/"+field, "The value for the field '%s' must be a valid Reference Path", field)
	}
	return IOPath{Path: p}
}

func (ps *parser) path(v any, field, loc string) *jsonpath.Path {
	s, ok := v.(string)
	if !ok {
		ps.p.schema(loc, "The value for the field '%s' must be a valid JSONPath", field)
		return nil
	}
	p, err := jsonpath.Compile(s)
	if err != nil {
		ps.p.schema(loc, "The value for the field '%s' must be a valid JSONPath", field)
		return nil
	}
	return p
}

func (ps *parser) optPath(o *jsonv.Object, field, loc string) *jsonpath.Path {
	v, ok := o.Get(field)
	if !ok {
		return nil
	}
	p := ps.path(v, field, loc+"/"+field)
	if p != nil && !p.IsReference() {
		ps.p.schema(loc+"/"+field, "The value for the field '%s' must be a valid Reference Path", field)
	}
	return p
}

func (ps *parser) template(o *jsonv.Object, field, loc string) *Template {
	v, ok := o.Get(field)
	if !ok {
		return nil
	}
	if _, isObj := v.(*jsonv.Object); !isObj {
		ps.p.schema(loc+"/"+field, "The field '%s' should be an object", field)
		return nil
	}
	return compileTemplate(v, ps.p, loc+"/"+field)
}

func stringField(o *jsonv.Object, field string) (string, bool) {
	v, ok := o.Get(field)
	if !ok {
		return "", false
	}
	s, ok := v.(string)
	return s, ok
}

// positiveInt reads an optional integer field that must be > 0.
func (ps *parser) positiveInt(o *jsonv.Object, field, loc string) (int64, bool) {
	return ps.intField(o, field, loc, 1)
}

// MaxSeconds is the largest value of a seconds field (TimeoutSeconds,
// HeartbeatSeconds, Wait Seconds, IntervalSeconds, ...) a definition may
// give; the interpreter holds values from paths and expressions to it too.
const MaxSeconds = 99999999

func (ps *parser) intField(o *jsonv.Object, field, loc string, lowest int64) (int64, bool) {
	v, ok := o.Get(field)
	if !ok {
		return 0, false
	}
	n, isNum := v.(jsonv.Number)
	i, isInt := n.Int()
	if !isNum || !isInt || !n.IsInteger() || i < lowest || i > MaxSeconds {
		ps.p.schema(loc, "The value for the field '%s' must be an integer between %d and %d", field, lowest, MaxSeconds)
		return 0, false
	}
	return i, true
}

func (ps *parser) floatField(o *jsonv.Object, field, loc string) (float64, bool) {
	v, ok := o.Get(field)
	if !ok {
		return 0, false
	}
	n, isNum := v.(jsonv.Number)
	f := n.Float()
	if !isNum || math.IsNaN(f) {
		ps.p.schema(loc, "The value for the field '%s' must be a number", field)
		return 0, false
	}
	return f, true
}
