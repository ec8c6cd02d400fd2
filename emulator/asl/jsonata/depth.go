package jsonata

import (
	"fmt"
	"reflect"
	"unsafe"

	xia "github.com/xiatechs/jsonata-go"
	"github.com/xiatechs/jsonata-go/jparse"

	"github.com/stepwire/stepwire/emulator/asl/budget"
)

// MaxCallDepth bounds how deeply the functions an expression defines
// (function($x){...}) may call each other. The engine evaluates a call by
// recursing on the Go stack, and a Go stack overflow ends the whole process
// rather than the one evaluation; JSONata in JavaScript stops such a
// recursion with an error instead. stepwire counts nested calls and fails
// the evaluation with U1001 (the code the reference JSONata gives this
// failure) when they exceed the bound, which leaves room for any recursion
// a definition needs in practice (a factorial of 100 nests 100 calls).
const MaxCallDepth = 1000

// The names under which each evaluation binds its depth counter. A
// workflow variable of the same name is not bound (xiaExpr.bindings), so
// it cannot replace the counter.
const (
	enterFunc  = "__stepwire_enter"
	leaveFunc  = "__stepwire_leave"
	resultName = "__stepwire_result"
)

// errDepth is the failure of a call nested deeper than MaxCallDepth.
var errDepth = &Error{Code: "U1001", Message: fmt.Sprintf(
	"Stack overflow error: function calls nested deeper than %d (stepwire limits recursion depth). Check for non-terminating recursive function.", MaxCallDepth)}

// guardLambdas rewrites, in the engine's own compiled tree, the body B of
// every function the expression defines into
//
//	($__stepwire_enter(); $__stepwire_result := B; $__stepwire_leave(); $__stepwire_result)
//
// so that each evaluation can count the calls in progress (depthGuard).
// The block keeps B's context item and scope, and the result travels
// through a variable, so values (null included) come back untouched. It
// reports whether the expression defines functions, and false for ok when
// the engine's tree cannot be reached (the engine's layout changed).
func guardLambdas(e *xia.Expr) (guarded, ok bool) {
	root, ok := engineTree(e)
	if !ok {
		return false, false
	}
	var walk func(jparse.Node)
	walk = func(n jparse.Node) {
		for _, c := range allChildren(n) {
			if c != nil {
				walk(c)
			}
		}
		var l *jparse.LambdaNode
		switch x := n.(type) {
		case *jparse.LambdaNode:
			l = x
		case *jparse.TypedLambdaNode:
			l = x.LambdaNode
		default:
			return
		}
		guarded = true
		l.Body = &jparse.BlockNode{Exprs: []jparse.Node{
			&jparse.FunctionCallNode{Func: &jparse.VariableNode{Name: enterFunc}},
			&jparse.AssignmentNode{Name: resultName, Value: l.Body},
			&jparse.FunctionCallNode{Func: &jparse.VariableNode{Name: leaveFunc}},
			&jparse.VariableNode{Name: resultName},
		}}
	}
	walk(root)
	return guarded, true
}

// engineTree is the parse tree e evaluates. The engine keeps it in an
// unexported field and offers no other way to evaluate a tree of our own;
// it is read once, at compile time, before the expression is shared.
func engineTree(e *xia.Expr) (jparse.Node, bool) {
	f, ok := treeField(e)
	if !ok {
		return nil, false
	}
	n, _ := f.Interface().(jparse.Node)
	return n, n != nil
}

// setEngineTree replaces the tree e evaluates (instrument.go), before e is
// shared.
func setEngineTree(e *xia.Expr, n jparse.Node) bool {
	f, ok := treeField(e)
	if ok {
		f.Set(reflect.ValueOf(&n).Elem())
	}
	return ok
}

func treeField(e *xia.Expr) (reflect.Value, bool) {
	f := reflect.ValueOf(e).Elem().FieldByName("node")
	if !f.IsValid() || f.Type() != reflect.TypeFor[jparse.Node]() {
		return reflect.Value{}, false
	}
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem(), true
}

// extensions are the counter's enter and leave functions for one
// evaluation (depthFuncs), as extensions.
func (r *run) extensions(exts map[string]xia.Extension) map[string]xia.Extension {
	enter, leave := r.depthFuncs()
	exts[enterFunc] = xia.Extension{Func: enter}
	exts[leaveFunc] = xia.Extension{Func: leave}
	return exts
}

// depthFuncs are the counter's enter and leave functions for one
// evaluation; each call also spends a step of the budget. A call that
// fails leaves the counter raised, which only matters to an evaluation
// that is failing anyway.
func (r *run) depthFuncs() (enter func() (bool, error), leave func() bool) {
	enter = func() (bool, error) {
		r.depth++
		if r.depth > MaxCallDepth {
			return false, r.fail(errDepth)
		}
		if err := r.step(budget.CallSteps); err != nil {
			return false, err
		}
		return true, nil
	}
	leave = func() bool {
		r.depth--
		return true
	}
	return enter, leave
}
