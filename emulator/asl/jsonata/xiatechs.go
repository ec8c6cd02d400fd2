package jsonata

import (
	"fmt"
	"regexp"

	xia "github.com/xiatechs/jsonata-go"
	"github.com/xiatechs/jsonata-go/jparse"
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
}

var reName = regexp.MustCompile(`\$([A-Za-z_][A-Za-z0-9_]*)`)

func (xiaEngine) Compile(text string) (Expr, error) {
	e, err := xia.Compile(text)
	if err != nil {
		return nil, syntaxError(err)
	}
	guarded, ok := guardLambdas(e)
	if !ok {
		return nil, &Error{Code: "S0201", Message: "stepwire cannot bound the call depth of this JSONata engine"}
	}
	seen := map[string]bool{}
	x := &xiaExpr{expr: e, guarded: guarded}
	if root, err := jparse.Parse(text); err == nil {
		x.refs = refsOf(root)
		x.ctors = constructorKeys(root)
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
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, &Error{Code: "D1001", Message: fmt.Sprint(r)}
		}
	}()
	e := *x.expr
	ko := &keyOrder{ctors: x.ctors}
	exts := functionsFor(x.names, env)
	var guard depthGuard
	if x.guarded {
		exts = guard.extensions(exts)
	}
	if len(exts) > 0 {
		if err := e.RegisterExts(exts); err != nil {
			return nil, err
		}
	}
	if vars := x.bindings(env, ko); len(vars) > 0 {
		if err := e.RegisterVars(vars); err != nil {
			return nil, err
		}
	}
	res, err := e.Eval(ko.native(input))
	if guard.tripped {
		// The engine wraps the failure once per call level; report it once.
		return nil, errDepth
	}
	if err == xia.ErrUndefined {
		return nil, ErrUndefined
	}
	if err != nil {
		return nil, evalError(err)
	}
	v, ok := ko.fromNative(res)
	if !ok {
		return nil, ErrUnsupported
	}
	return v, nil
}

// bindings converts the variables the expression mentions. $eval, which
// Step Functions does not provide (docs/step-functions.md §1.7; use $parse), is
// bound to nothing, so calling it fails like any non-function (T1006).
func (x *xiaExpr) bindings(env *Env, ko *keyOrder) map[string]any {
	var vars map[string]any
	for _, n := range x.names {
		v, ok := env.Vars[n]
		if reserved(n) || !ok && n != "eval" {
			continue
		}
		if vars == nil {
			vars = map[string]any{}
		}
		if ok {
			vars[n] = ko.native(v)
		} else {
			vars[n] = nil
		}
	}
	return vars
}

// reserved reports the names of the call-depth counter, which no
// variable may replace.
func reserved(name string) bool {
	return name == enterFunc || name == leaveFunc || name == resultName
}

// native is toNative with null kept distinct from undefined.
func (ko *keyOrder) native(v any) any {
	if v == nil {
		return jsNull
	}
	return ko.toNative(v)
}
