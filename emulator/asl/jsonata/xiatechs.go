package jsonata

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"

	xia "github.com/xiatechs/jsonata-go"
	"github.com/xiatechs/jsonata-go/jparse"

	"github.com/stepwire/stepwire/emulator/asl/budget"
)

// xiaEngine runs expressions on github.com/xiatechs/jsonata-go (see
// docs/jsonata-engine.md for why). Its compiled form is shared by every
// execution of a definition, so each evaluation works on a shallow copy
// whose private registry receives that evaluation's variables and
// functions; the package-level registry of the engine is never used.
type xiaEngine struct{}

type xiaExpr struct {
	expr *xia.Expr
	// names are the $names the expression mentions: the variables and
	// Step Functions functions worth binding.
	names []string
	refs  Refs
	// ctors are the literal key lists of the object constructors.
	ctors [][]string
	// guarded is set when the expression defines functions, whose calls
	// each evaluation counts (depth.go).
	guarded bool
	// hooks are the budget's hooks the tree calls (instrument.go).
	hooks []string
	// statesOnly, when not nil, are the only $states fields the
	// expression can read (states.go).
	statesOnly []string
	// fast, when set, evaluates the expression without the engine where
	// it can (fastpath.go).
	fast *fastPath
	// fx, when set, evaluates a small expression over scalars without
	// the engine where it can (fastexpr.go).
	fx fastExpr
}

var reName = regexp.MustCompile(`\$([A-Za-z_][A-Za-z0-9_]*)`)

func (xiaEngine) Compile(text string) (out Expr, err error) {
	defer func() {
		// The engine's lexer can panic on some multi-byte input (e.g.
		// "!é"); a definition that makes it panic is a syntax error.
		if r := recover(); r != nil {
			out, err = nil, &Error{Code: "S0201", Message: fmt.Sprintf("syntax error in expression: %v", r)}
		}
	}()
	e, err := xia.Compile(text)
	if err != nil {
		return nil, syntaxError(err)
	}
	root, ok := engineTree(e)
	if !ok || !prototypesOK || !registryOK || !setEngineTree(e, root) {
		return nil, &Error{Code: "S0201", Message: "stepwire cannot bound the evaluation of this JSONata engine"}
	}
	fx := compileFastExpr(root)
	root, hooks := instrument(root)
	setEngineTree(e, root)
	guarded, _ := guardLambdas(e)
	seen := map[string]bool{}
	x := &xiaExpr{expr: e, guarded: guarded, hooks: hooks, refs: Refs{StatesWhole: true}}
	if root, err := jparse.Parse(text); err == nil {
		x.refs = refsOf(root)
		x.ctors = constructorKeys(root)
		f, ok := statesFields(root)
		if ok {
			x.statesOnly = f
		}
		x.refs.StatesWhole = !ok
		x.fast = compileFast(text, root)
	}
	if x.fast == nil {
		x.fx = fx
	}
	for _, m := range reName.FindAllStringSubmatch(text, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			x.names = append(x.names, m[1])
		}
	}
	return x, nil
}

func (x *xiaExpr) Vars() []string { return x.names }

func (x *xiaExpr) Refs() Refs { return x.refs }

// jsNull is how the engine represents JSON null where a bare nil would
// read as undefined.
var jsNull *any

func (x *xiaExpr) Eval(input any, env *Env) (out any, err error) {
	if x.fast != nil && input == nil {
		if v, ok := x.fast.eval(env); ok {
			return v, nil
		}
	}
	if x.fx != nil && input == nil {
		if v, ok := x.evalFastExpr(env); ok {
			return v, nil
		}
	}
	r := &run{meter: budget.New(env.Limits)}
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, &Error{Code: "D1001", Message: fmt.Sprint(p)}
			if r.err != nil {
				out, err = nil, r.err
			}
		}
	}()
	e := *x.expr
	ko := &keyOrder{ctors: x.ctors}
	// The evaluation's bindings go straight into the copy's own registry
	// (registry.go), the form RegisterExts and RegisterVars would build.
	reg := newRegistry(&e, len(x.names)+len(x.hooks)+2)
	exts := x.functions(env, r, reg)
	if len(exts) > 0 {
		if err := e.RegisterExts(exts); err != nil {
			return nil, err
		}
	}
	// Workflow variables are bound after the functions, and win over a
	// builtin of the same name.
	x.bind(reg, env, ko)
	res, err := e.Eval(ko.native(input))
	if r.err != nil {
		// The engine rewraps a hook's failure once per call level;
		// report it as raised.
		return nil, r.err
	}
	if err == xia.ErrUndefined {
		return nil, ErrUndefined
	}
	if err != nil {
		return nil, evalError(err)
	}
	// The result is written out as a tree; one that repeats shared parts
	// must fit as such.
	if err := r.fits(res); err != nil {
		return nil, err
	}
	v, ok := ko.fromNative(res)
	if !ok {
		return nil, ErrUnsupported
	}
	return v, nil
}

// functions are what one evaluation binds besides its variables: the
// Step Functions additions, registered as extensions, and, bound as
// copies of their prototypes (callables.go), metered copies of the
// builtins the expression names and the hooks of the depth guard and of
// the budget.
func (x *xiaExpr) functions(env *Env, r *run, bound map[string]reflect.Value) (exts map[string]xia.Extension) {
	exts = functionsFor(x.names, env)
	for _, n := range x.names {
		b, ok := builtins[n]
		if _, own := exts[n]; !ok || own {
			continue
		}
		if n == "replace" {
			bound[n] = prototypes[n].with(reflect.ValueOf(r.replaceFunc(b).Func))
			continue
		}
		bound[n] = prototypes[n].with(reflect.ValueOf(r.metered(n, b).Func))
	}
	if x.guarded {
		enter, leave := r.depthFuncs()
		bound[enterFunc] = prototypes[enterFunc].with(reflect.ValueOf(enter))
		bound[leaveFunc] = prototypes[leaveFunc].with(reflect.ValueOf(leave))
	}
	for _, h := range x.hooks {
		bound[h] = prototypes[h].with(r.hook(h))
	}
	return exts
}

// bind converts into vars the variables the expression mentions. $eval,
// which Step Functions does not provide (docs/step-functions.md §1.7; use
// $parse), and the engine's extras are bound to nothing, so calling them
// fails like any non-function (T1006).
func (x *xiaExpr) bind(vars map[string]reflect.Value, env *Env, ko *keyOrder) {
	for _, n := range x.names {
		v, ok := env.get(n)
		if reserved(n) || !ok && !unbound(n) {
			continue
		}
		switch {
		case ok && n == "states":
			vars[n] = reflect.ValueOf(x.statesNative(v, ko))
		case ok:
			vars[n] = reflect.ValueOf(ko.native(v))
		default:
			vars[n] = reflect.Value{}
		}
	}
}

// reserved reports the names of the call-depth counter and of the
// budget's hooks, which no variable may replace.
func reserved(name string) bool {
	switch name {
	case enterFunc, leaveFunc, resultName, rangeFunc, concatFunc, eachFunc, valueName:
		return true
	}
	return false
}

// unbound reports the engine's functions that Step Functions' JSONata does
// not have: $eval and the engine's extras (builtins.go).
func unbound(name string) bool {
	return name == "eval" || slices.Contains(engineExtras, name)
}

// native is toNative with null kept distinct from undefined.
func (ko *keyOrder) native(v any) any {
	if v == nil {
		return jsNull
	}
	return ko.toNative(v)
}
