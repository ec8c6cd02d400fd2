package asl

import (
	"strings"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

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

// Eval builds the template's output document. The document, which may
// repeat a large part of the input under many keys, is measured as a
// value built within env's budgets before anyone writes it out.
func (t *Template) Eval(env *Env) (any, error) {
	v, err := t.root.eval(env)
	if err != nil || t.root.kind == tLiteral {
		return v, err
	}
	if err := chargeBuilt(meterFor(env), v); err != nil {
		return nil, err
	}
	return v, nil
}

func (n *tnode) eval(env *Env) (any, error) {
	switch n.kind {
	case tObject:
		o := jsonv.NewBuilder(len(n.fields))
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
		return o.Object(), nil
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
