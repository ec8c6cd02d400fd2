package jsonata

import (
	"math"
	"reflect"
	"unsafe"

	xia "github.com/xiatechs/jsonata-go"
	"github.com/xiatechs/jsonata-go/jtypes"

	"github.com/stepwire/stepwire/emulator/asl/budget"
)

// builtin is one of the engine's functions, as the engine binds it: the Go
// function and the handlers that decide when it sees the context item or
// returns undefined.
type builtin struct {
	fn        reflect.Value
	undefined jtypes.ArgHandler
	context   jtypes.ArgHandler
}

// jsonataBuiltins are the JSONata 2.0 functions the engine provides.
// Each evaluation binds, for those its expression names, a copy that
// charges the budget (metered): the engine's own bindings are shared by
// every evaluation, and it stores the context item in them, so the copies
// also keep concurrent evaluations apart.
var jsonataBuiltins = []string{
	"string", "length", "substring", "substringBefore", "substringAfter", "uppercase", "lowercase",
	"pad", "trim", "contains", "split", "join", "match", "replace", "formatNumber", "formatBase",
	"base64encode", "base64decode", "decodeUrl", "decodeUrlComponent", "encodeUrl", "encodeUrlComponent",
	"number", "abs", "floor", "ceil", "round", "power", "sqrt", "sum", "max", "min", "average",
	"boolean", "not", "exists", "distinct", "count", "reverse", "sort", "zip", "append",
	"map", "filter", "reduce", "single", "each", "sift", "keys", "lookup", "spread", "merge",
	"fromMillis", "toMillis", "type", "error",
}

// engineExtras are functions the engine adds that JSONata does not have.
// Step Functions' JSONata has none of them, so they are bound to nothing
// and calling one fails as in Step Functions (T1006); some read the real
// clock, and some build results quadratic in their inputs.
var engineExtras = []string{
	"objmerge", "sjoin", "unescape", "hashmd5", "hash256", "dateTimeDim", "dateTimeDimLite",
	"timeSince", "objectsToDocument", "oneToManyJoin", "accumulatingSlice", "renameKeys",
}

// builtins holds the engine's bindings of jsonataBuiltins, read once.
var builtins = readBuiltins()

func readBuiltins() map[string]builtin {
	out := map[string]builtin{}
	for _, name := range jsonataBuiltins {
		if b, ok := readBuiltin(name); ok {
			out[name] = b
		}
	}
	return out
}

// readBuiltin evaluates $name to get the engine's binding and reads its
// fields, which the engine does not export (as engineTree does).
func readBuiltin(name string) (builtin, bool) {
	e, err := xia.Compile("$" + name)
	if err != nil {
		return builtin{}, false
	}
	c, err := e.Eval(nil)
	if err != nil {
		return builtin{}, false
	}
	rv := reflect.ValueOf(c)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return builtin{}, false
	}
	s := rv.Elem()
	fn, ok1 := field[reflect.Value](s, "fn")
	undef, ok2 := field[jtypes.ArgHandler](s, "undefinedHandler")
	ctx, ok3 := field[jtypes.ArgHandler](s, "contextHandler")
	if !ok1 || !ok2 || !ok3 || fn.Kind() != reflect.Func {
		return builtin{}, false
	}
	return builtin{fn: fn, undefined: undef, context: ctx}, true
}

func field[T any](s reflect.Value, name string) (T, bool) {
	var zero T
	f := s.FieldByName(name)
	if !f.IsValid() || f.Type() != reflect.TypeFor[T]() {
		return zero, false
	}
	return *(*T)(unsafe.Pointer(f.UnsafeAddr())), true
}

// metered binds name's builtin for one evaluation: the call spends steps
// for the items it walks, checks first the sizes that functions building
// large results from small arguments will reach, then measures its
// result as a value built.
func (r *run) metered(name string, b builtin) xia.Extension {
	t := b.fn.Type()
	hasErr := t.NumOut() == 2
	f := reflect.MakeFunc(t, func(args []reflect.Value) []reflect.Value {
		// A spent budget unwinds the evaluation from the hooks (spent).
		_ = r.before(name, args)
		var out []reflect.Value
		if t.IsVariadic() {
			out = b.fn.CallSlice(args)
		} else {
			out = b.fn.Call(args)
		}
		if hasErr && !out[1].IsNil() {
			return out
		}
		if out[0].IsValid() && out[0].CanInterface() {
			_ = r.built(out[0].Interface())
		}
		return out
	})
	return xia.Extension{Func: f.Interface(), UndefinedHandler: b.undefined, EvalContextHandler: b.context}
}

// constantCost are the functions whose work does not grow with their
// arguments.
var constantCost = map[string]bool{
	"count": true, "exists": true, "type": true, "lookup": true, "not": true, "error": true,
	"abs": true, "floor": true, "ceil": true, "round": true, "power": true, "sqrt": true,
	"fromMillis": true, "toMillis": true,
}

// before charges a call's steps and checks, for the functions whose result
// can be much larger than their arguments, that the result will fit.
func (r *run) before(name string, args []reflect.Value) error {
	cost := int64(1)
	if !constantCost[name] {
		for _, a := range args {
			cost += shallowLen(a)
		}
	}
	if err := r.step(cost); err != nil {
		return err
	}
	switch name {
	case "string", "distinct", "boolean":
		// They write out or compare whole values: a value that repeats
		// a shared part costs its full size.
		if len(args) > 0 && args[0].IsValid() && args[0].CanInterface() {
			return r.fits(args[0].Interface())
		}
	case "pad":
		return r.reserve(padSize(args))
	case "join":
		return r.reserve(joinSize(args))
	}
	return nil
}

// padSize is the size of $pad(s, width[, char]).
func padSize(args []reflect.Value) int64 {
	if len(args) < 2 {
		return 0
	}
	w, _ := jtypes.AsNumber(args[1])
	c := int64(1)
	if len(args) > 2 {
		if s, ok := jtypes.AsString(args[2]); ok && len(s) > 0 {
			c = int64(len(s))
		}
	}
	return budget.StringBytes + int64(min(math.Abs(w), 1<<53))*c
}

// joinSize is the size of $join(items[, separator]).
func joinSize(args []reflect.Value) int64 {
	if len(args) == 0 {
		return 0
	}
	items := resolve(args[0])
	n := int64(1)
	total := int64(budget.StringBytes)
	switch items.Kind() {
	case reflect.Slice, reflect.Array:
		n = int64(items.Len())
		for i := 0; i < items.Len(); i++ {
			if s, ok := jtypes.AsString(items.Index(i)); ok {
				total += int64(len(s))
			}
		}
	case reflect.String:
		total += int64(items.Len())
	}
	if len(args) > 1 {
		if sep, ok := jtypes.AsString(args[1]); ok {
			total += max(0, n-1) * int64(len(sep))
		}
	}
	return total
}
