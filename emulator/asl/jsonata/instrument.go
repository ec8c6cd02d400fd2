package jsonata

import (
	"slices"

	"github.com/xiatechs/jsonata-go/jparse"
)

// instrument rewrites, once at compile time, the engine's tree so that the
// work an evaluation does passes through the budget's hooks (meter.go):
//
//   - a range lo..hi becomes $__stepwire_range(lo, hi), checked before
//     its array is allocated;
//   - a & b becomes $__stepwire_concat(a, b), checked before the string
//     is built;
//   - a path step after the first, a predicate's filter and an array
//     constructor's item that read anything besides the item they are
//     evaluated on (a variable, a function call) become
//     ($__stepwire_value := s; $__stepwire_each($__stepwire_value);
//     $__stepwire_value): evaluated once per item, such steps are how an
//     expression without functions repeats work or values ($x.$x.$x;
//     [$a, $a] copies $a's items twice). The value travels through a
//     variable, so the engine gets it exactly as the step produced it;
//   - x ~> $f(args) becomes $f(x, args), the call the engine would make.
//     The engine makes that change in the shared tree on every evaluation,
//     so a compiled expression's second evaluation passed x twice and the
//     tree grew with each one.
//
// Function calls, including those of the functions the expression
// defines, are counted where they are bound (builtins.go, depth.go). It
// returns the names of the hooks the tree calls.
func instrument(n jparse.Node) (jparse.Node, []string) {
	in := &instrumenter{}
	return in.node(n), in.hooks
}

type instrumenter struct{ hooks []string }

func (in *instrumenter) call(name string, args ...jparse.Node) jparse.Node {
	if !slices.Contains(in.hooks, name) {
		in.hooks = append(in.hooks, name)
	}
	return &jparse.FunctionCallNode{Func: &jparse.VariableNode{Name: name}, Args: args}
}

// counted is n evaluated through the each hook.
func (in *instrumenter) counted(n jparse.Node) jparse.Node {
	return &jparse.BlockNode{Exprs: []jparse.Node{
		&jparse.AssignmentNode{Name: valueName, Value: n},
		in.call(eachFunc, &jparse.VariableNode{Name: valueName}),
		&jparse.VariableNode{Name: valueName},
	}}
}

func (in *instrumenter) node(n jparse.Node) jparse.Node {
	switch x := n.(type) {
	case *jparse.RangeNode:
		return in.call(rangeFunc, in.node(x.LHS), in.node(x.RHS))
	case *jparse.StringConcatenationNode:
		return in.call(concatFunc, in.node(x.LHS), in.node(x.RHS))
	case *jparse.FunctionApplicationNode:
		if f, ok := x.RHS.(*jparse.FunctionCallNode); ok {
			f.Args = append([]jparse.Node{x.LHS}, f.Args...)
			return in.node(f)
		}
		x.LHS, x.RHS = in.node(x.LHS), in.node(x.RHS)
	case *jparse.PathNode:
		for i, s := range x.Steps {
			wrap := i > 0 && stepRepeats(s)
			x.Steps[i] = in.node(s)
			if wrap {
				x.Steps[i] = in.counted(x.Steps[i])
			}
		}
	case *jparse.ArrayNode:
		for i, it := range x.Items {
			wrap := stepRepeats(it)
			x.Items[i] = in.node(it)
			if wrap {
				x.Items[i] = in.counted(x.Items[i])
			}
		}
	case *jparse.PredicateNode:
		x.Expr = in.node(x.Expr)
		for i, f := range x.Filters {
			wrap := readsOuter(f)
			x.Filters[i] = in.node(f)
			if wrap {
				x.Filters[i] = in.counted(x.Filters[i])
			}
		}
	default:
		in.children(n)
	}
	return n
}

// children instruments the children of the nodes without a rule of
// their own.
func (in *instrumenter) children(n jparse.Node) {
	switch x := n.(type) {
	case *jparse.NegationNode:
		x.RHS = in.node(x.RHS)
	case *jparse.ObjectNode:
		in.pairs(x)
	case *jparse.GroupNode:
		x.Expr = in.node(x.Expr)
		in.pairs(x.ObjectNode)
	case *jparse.BlockNode:
		in.list(x.Exprs)
	case *jparse.ObjectTransformationNode:
		x.Pattern, x.Updates = in.node(x.Pattern), in.node(x.Updates)
		if x.Deletes != nil {
			x.Deletes = in.node(x.Deletes)
		}
	case *jparse.LambdaNode:
		x.Body = in.node(x.Body)
	case *jparse.TypedLambdaNode:
		x.Body = in.node(x.Body)
	case *jparse.PartialNode:
		x.Func = in.node(x.Func)
		in.list(x.Args)
	case *jparse.FunctionCallNode:
		x.Func = in.node(x.Func)
		in.list(x.Args)
	case *jparse.ConditionalNode:
		x.If, x.Then = in.node(x.If), in.node(x.Then)
		if x.Else != nil {
			x.Else = in.node(x.Else)
		}
	case *jparse.AssignmentNode:
		x.Value = in.node(x.Value)
	case *jparse.NumericOperatorNode:
		x.LHS, x.RHS = in.node(x.LHS), in.node(x.RHS)
	case *jparse.ComparisonOperatorNode:
		x.LHS, x.RHS = in.node(x.LHS), in.node(x.RHS)
	case *jparse.BooleanOperatorNode:
		x.LHS, x.RHS = in.node(x.LHS), in.node(x.RHS)
	case *jparse.SortNode:
		x.Expr = in.node(x.Expr)
		for i := range x.Terms {
			x.Terms[i].Expr = in.node(x.Terms[i].Expr)
		}
	}
}

func (in *instrumenter) list(ns []jparse.Node) {
	for i := range ns {
		ns[i] = in.node(ns[i])
	}
}

func (in *instrumenter) pairs(o *jparse.ObjectNode) {
	if o == nil {
		return
	}
	for i := range o.Pairs {
		o.Pairs[i][0], o.Pairs[i][1] = in.node(o.Pairs[i][0]), in.node(o.Pairs[i][1])
	}
}

// stepRepeats reports a path step whose value does not come from the item
// it is evaluated on alone. Array constructors stay as they are: the
// engine keeps their results whole rather than flattening them.
func stepRepeats(s jparse.Node) bool {
	if _, isCons := s.(*jparse.ArrayNode); isCons {
		return false
	}
	return readsOuter(s)
}

// readsOuter reports whether evaluating n reads more than its context
// item: a variable other than $, or a call.
func readsOuter(n jparse.Node) bool {
	switch x := n.(type) {
	case *jparse.VariableNode:
		return x.Name != ""
	case *jparse.FunctionCallNode, *jparse.PartialNode, *jparse.FunctionApplicationNode,
		*jparse.RangeNode, *jparse.LambdaNode, *jparse.TypedLambdaNode:
		return true
	}
	for _, c := range allChildren(n) {
		if c != nil && readsOuter(c) {
			return true
		}
	}
	return false
}
