package jsonata

import (
	"reflect"
	"unsafe"

	xia "github.com/xiatechs/jsonata-go"
)

// The functions each evaluation binds (the budget's hooks, the metered
// builtins) differ between evaluations only in the Go function they call.
// Binding them through RegisterExts made the engine inspect each
// function's parameter types again on every evaluation, which cost a
// third of a small expression's evaluation; instead the engine's callable
// is built once per name (a prototype) and each evaluation binds a copy
// with its own function.

// prototype is the engine's callable for an extension, built once.
type prototype struct {
	c  reflect.Value // *goCallable
	fn uintptr       // the offset of its fn field
}

// newPrototype builds the engine's callable for ext by evaluating its
// name with ext registered; ok is false if the engine's callable does not
// have the expected shape (a changed engine), and callers then register
// ext per evaluation.
func newPrototype(name string, ext xia.Extension) (prototype, bool) {
	e, err := xia.Compile("$" + name)
	if err != nil || e.RegisterExts(map[string]xia.Extension{name: ext}) != nil {
		return prototype{}, false
	}
	v, err := e.Eval(nil)
	if err != nil {
		return prototype{}, false
	}
	c := reflect.ValueOf(v)
	if c.Kind() != reflect.Pointer || c.Elem().Kind() != reflect.Struct {
		return prototype{}, false
	}
	f, found := c.Elem().Type().FieldByName("fn")
	if !found || f.Type != reflect.TypeFor[reflect.Value]() || len(f.Index) != 1 {
		return prototype{}, false
	}
	return prototype{c: c, fn: f.Offset}, true
}

// with is a copy of the callable that calls fn, whose type must be that
// of the prototype's function, as the value the engine binds.
func (p prototype) with(fn reflect.Value) reflect.Value {
	c := reflect.New(p.c.Elem().Type())
	c.Elem().Set(p.c.Elem())
	*(*reflect.Value)(unsafe.Add(c.UnsafePointer(), p.fn)) = fn
	return c
}

// prototypes are the callables of every name an evaluation may bind
// through a prototype: the hooks and the metered builtins.
var prototypes, prototypesOK = buildPrototypes()

func buildPrototypes() (map[string]prototype, bool) {
	r := &run{}
	exts := r.hooks(r.extensions(map[string]xia.Extension{}))
	for name, b := range builtins {
		if name == "replace" {
			exts[name] = r.replaceFunc(b)
			continue
		}
		exts[name] = r.metered(name, b)
	}
	out := make(map[string]prototype, len(exts))
	for name, ext := range exts {
		p, ok := newPrototype(name, ext)
		if !ok {
			return nil, false
		}
		out[name] = p
	}
	return out, true
}
