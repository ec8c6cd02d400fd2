package jsonata

import (
	"math"

	xia "github.com/xiatechs/jsonata-go"
	"github.com/xiatechs/jsonata-go/jlib"
	"github.com/xiatechs/jsonata-go/jparse"

	"github.com/stepwire/stepwire/emulator/asl/budget"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// A fast expression is a small expression over scalars evaluated on
// stepwire's values, without the engine's set-up: number, string and
// boolean literals, variables and paths of field names from them,
// ( ) around one expression, ?: on a boolean, + - * on integers (where
// float64 arithmetic is the engine's decimal one), & (with the engine's
// jlib.String), and $exists and $string of such operands, e.g.
// ($exists($total) ? $total : 0) + $states.input.n or
// 's' & $string($states.input.n). It is compiled from the engine's own
// tree (quotes and comments already rewritten). Any value it does not
// handle (an object, an array, null, an error, a function name, a
// builtin a workflow variable replaces) gives ok false, and the engine
// evaluates the expression as before; TestFastExpr checks its answers
// against the engine's.
type fastExpr func(f *fastRun) (v any, ok bool)

// fastRun is one evaluation: its variables and the steps and bytes its
// builtin calls charge, as the metered builtins would.
type fastRun struct {
	env   *Env
	steps int64
	bytes int64
}

// undef is JSONata's undefined inside a fast expression.
type undef struct{}

func (x *xiaExpr) evalFastExpr(env *Env) (any, bool) {
	f := &fastRun{env: env}
	v, ok := x.fx(f)
	if !ok {
		return nil, false
	}
	switch v.(type) {
	case float64, string, bool:
	default:
		return nil, false
	}
	if n, isNum := v.(float64); isNum {
		v = Number(n)
	}
	// The engine charges more than the builtins' steps and bytes (its
	// hooks, the values it builds on the way): a fast expression answers
	// only well within the budget, and leaves the rest, where the engine
	// may report the budget spent, to the engine.
	size, _ := budget.Size(v, math.MaxInt64)
	m := budget.New(env.Limits)
	if m.Step(fastStepMargin+f.steps*budget.CallSteps) != nil || m.Reserve(fastByteMargin+4*(f.bytes+size)) != nil {
		return nil, false
	}
	return v, true
}

// The room in the budget a fast expression needs besides 4 times what its
// builtin calls charge.
const (
	fastStepMargin = 1 << 10
	fastByteMargin = 64 << 10
)

// compileFastExpr returns nil for any node it does not handle.
func compileFastExpr(n jparse.Node) fastExpr {
	switch x := n.(type) {
	case *jparse.NumberNode:
		v := x.Value
		return func(*fastRun) (any, bool) { return v, true }
	case *jparse.StringNode:
		v := x.Value
		return func(*fastRun) (any, bool) { return v, true }
	case *jparse.BooleanNode:
		v := x.Value
		return func(*fastRun) (any, bool) { return v, true }
	case *jparse.BlockNode:
		if len(x.Exprs) == 1 {
			return compileFastExpr(x.Exprs[0])
		}
	case *jparse.VariableNode:
		return fastVar(x.Name, nil)
	case *jparse.PathNode:
		if f := compilePath(x); f != nil {
			return fastVar(f.root, f.fields)
		}
	case *jparse.ConditionalNode:
		return fastCond(x)
	case *jparse.NumericOperatorNode:
		return fastArith(x)
	case *jparse.StringConcatenationNode:
		return fastConcat(x)
	case *jparse.FunctionCallNode:
		return fastCall(x)
	}
	return nil
}

// fastVar reads a variable, then fields of objects; a name the engine or
// Step Functions binds to a function is left to the engine.
func fastVar(name string, fields []string) fastExpr {
	if !plainName(name) {
		return nil
	}
	return func(f *fastRun) (any, bool) {
		v, found := f.env.get(name)
		for _, k := range fields {
			if !found {
				return undef{}, true
			}
			o, isObj := v.(*jsonv.Object)
			if !isObj {
				return nil, false
			}
			v, found = o.Get(k)
		}
		if !found {
			return undef{}, true
		}
		switch s := v.(type) {
		case string, bool:
			return s, true
		case jsonv.Number:
			return s.Float(), true
		}
		return nil, false
	}
}

// plainName reports a variable name that, unbound, is undefined to the
// engine: not $ or $$, nor a builtin, hook or Step Functions function.
func plainName(name string) bool {
	if name == "" || name == "$" || reserved(name) || unbound(name) || function(name, &Env{}) != nil {
		return false
	}
	if _, isBuiltin := builtins[name]; isBuiltin {
		return false
	}
	e, err := xia.Compile("$" + name)
	if err != nil {
		return false
	}
	_, err = e.Eval(nil)
	return err == xia.ErrUndefined
}

func fastCond(x *jparse.ConditionalNode) fastExpr {
	c, t := compileFastExpr(x.If), compileFastExpr(x.Then)
	e := func(*fastRun) (any, bool) { return undef{}, true }
	if x.Else != nil {
		e = compileFastExpr(x.Else)
	}
	if c == nil || t == nil || e == nil {
		return nil
	}
	return func(f *fastRun) (any, bool) {
		v, ok := c(f)
		b, isBool := v.(bool)
		switch {
		case !ok || !isBool:
			return nil, false
		case b:
			return t(f)
		}
		return e(f)
	}
}

func fastArith(x *jparse.NumericOperatorNode) fastExpr {
	l, r := compileFastExpr(x.LHS), compileFastExpr(x.RHS)
	op := x.Type
	if l == nil || r == nil || op != jparse.NumericAdd && op != jparse.NumericSubtract && op != jparse.NumericMultiply {
		return nil
	}
	return func(f *fastRun) (any, bool) {
		a, ok1 := l(f)
		b, ok2 := r(f)
		an, isNum1 := a.(float64)
		bn, isNum2 := b.(float64)
		if !ok1 || !ok2 || !isNum1 || !isNum2 {
			return nil, false
		}
		// The engine computes in decimals (evalNumericOperator); on
		// integers whose result float64 holds exactly, that is the
		// float64 arithmetic. Other operands are left to the engine.
		if !exactInt(an) || !exactInt(bn) {
			return nil, false
		}
		var v float64
		switch op {
		case jparse.NumericAdd:
			v = an + bn
		case jparse.NumericSubtract:
			v = an - bn
		default:
			v = an * bn
		}
		if !exactInt(v) {
			return nil, false
		}
		return v, true
	}
}

// exactInt reports an integer float64 holds exactly, with its
// neighbours: |x| at most 2^53.
func exactInt(x float64) bool {
	return x == math.Trunc(x) && math.Abs(x) <= 1<<53
}

func fastConcat(x *jparse.StringConcatenationNode) fastExpr {
	l, r := compileFastExpr(x.LHS), compileFastExpr(x.RHS)
	if l == nil || r == nil {
		return nil
	}
	return func(f *fastRun) (any, bool) {
		a, ok1 := fastString(l, f, true)
		b, ok2 := fastString(r, f, true)
		if !ok1 || !ok2 {
			return nil, false
		}
		return a + b, true
	}
}

// fastString is the engine's text (jlib.String) of e's value; undefined
// is "" where undefOK, else not handled.
func fastString(e fastExpr, f *fastRun, undefOK bool) (string, bool) {
	v, ok := e(f)
	if !ok {
		return "", false
	}
	switch v.(type) {
	case undef:
		return "", undefOK
	case float64, string, bool:
		s, err := jlib.String(v)
		return s, err == nil
	}
	return "", false
}

// fastCall handles $exists(x) and $string(x) where no workflow variable
// replaces the builtin, charging the steps and bytes the metered builtin
// would (builtins.go).
func fastCall(x *jparse.FunctionCallNode) fastExpr {
	fn, isVar := x.Func.(*jparse.VariableNode)
	if !isVar || len(x.Args) != 1 {
		return nil
	}
	name := fn.Name
	arg := compileFastExpr(x.Args[0])
	if arg == nil || (name != "exists" && name != "string") {
		return nil
	}
	return func(f *fastRun) (any, bool) {
		if _, replaced := f.env.get(name); replaced {
			return nil, false
		}
		if name == "exists" {
			v, ok := arg(f)
			_, isUndef := v.(undef)
			f.steps++
			return !isUndef, ok
		}
		v, ok := arg(f)
		if _, isUndef := v.(undef); !ok || isUndef {
			return nil, false
		}
		s, ok := fastString(func(*fastRun) (any, bool) { return v, true }, f, false)
		if !ok {
			return nil, false
		}
		cost := int64(1)
		if a, isStr := v.(string); isStr {
			cost += int64(len(a)) / 64
		}
		size, _ := budget.Size(s, math.MaxInt64)
		f.steps += 1 + cost
		f.bytes += size
		return s, true
	}
}
