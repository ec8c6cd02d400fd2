package jsonata

import "github.com/xiatechs/jsonata-go/jparse"

// Refs is what an expression reads from outside itself, for the checks
// Step Functions makes when a definition is created (docs/step-functions.md
// §1.7): expressions run with no context item, so a path may start only
// from $states or a variable.
type Refs struct {
	// TopLevel are the names read against the context item, distinct, in
	// order of appearance: a bare field name, "$" for the context item
	// itself and "$$" for the root.
	TopLevel []string
	// States are the $states fields read ("input", "errorOutput", ...).
	States []string
	// StatesWhole is set when $states may be read other than through
	// those fields ($states whole, $keys($states), $states.*), or when
	// stepwire could not tell.
	StatesWhole bool
}

// refsOf walks a parsed expression. Only the first step of a path reads
// the context: later steps, predicates, sort terms and grouping run on the
// values before them. A lambda body keeps the context of its definition,
// and an object constructor's keys are expressions too.
func refsOf(n jparse.Node) Refs {
	var w refWalker
	w.walk(n)
	return w.refs
}

type refWalker struct {
	refs Refs
}

// add appends name to list unless it is there already.
func add(list *[]string, name string) {
	for _, n := range *list {
		if n == name {
			return
		}
	}
	*list = append(*list, name)
}

func (w *refWalker) walk(n jparse.Node) {
	switch x := n.(type) {
	case *jparse.PathNode:
		w.path(x)
	case *jparse.NameNode:
		add(&w.refs.TopLevel, x.Value)
	case *jparse.VariableNode:
		w.variable(x.Name)
	case *jparse.PredicateNode:
		w.walk(x.Expr)
	case *jparse.SortNode:
		w.walk(x.Expr)
	case *jparse.GroupNode:
		w.walk(x.Expr)
	case *jparse.ObjectNode:
		for _, p := range x.Pairs {
			w.walk(p[0])
			w.walk(p[1])
		}
	default:
		w.walkAll(children(n)...)
	}
}

func (w *refWalker) walkAll(nodes ...jparse.Node) {
	for _, c := range nodes {
		if c != nil {
			w.walk(c)
		}
	}
}

// variable records $ (the context item) and $$ (the root, which the
// engine parses as a variable named "$").
func (w *refWalker) variable(name string) {
	switch name {
	case "":
		add(&w.refs.TopLevel, "$")
	case "$":
		add(&w.refs.TopLevel, "$$")
	}
}

func (w *refWalker) path(p *jparse.PathNode) {
	if len(p.Steps) == 0 {
		return
	}
	w.walk(p.Steps[0])
	v, isVar := p.Steps[0].(*jparse.VariableNode)
	if !isVar || v.Name != "states" || len(p.Steps) < 2 {
		return
	}
	if f, ok := p.Steps[1].(*jparse.NameNode); ok {
		add(&w.refs.States, f.Value)
	}
}

// children lists the operands of the other node kinds; literals, regexes,
// wildcards, descendants and transforms read no context.
func children(n jparse.Node) []jparse.Node {
	switch x := n.(type) {
	case *jparse.NegationNode:
		return []jparse.Node{x.RHS}
	case *jparse.RangeNode:
		return []jparse.Node{x.LHS, x.RHS}
	case *jparse.ArrayNode:
		return x.Items
	case *jparse.BlockNode:
		return x.Exprs
	case *jparse.LambdaNode:
		return []jparse.Node{x.Body}
	case *jparse.TypedLambdaNode:
		return []jparse.Node{x.Body}
	case *jparse.PartialNode:
		return append([]jparse.Node{x.Func}, x.Args...)
	case *jparse.FunctionCallNode:
		return append([]jparse.Node{x.Func}, x.Args...)
	case *jparse.ConditionalNode:
		return []jparse.Node{x.If, x.Then, x.Else}
	case *jparse.AssignmentNode:
		return []jparse.Node{x.Value}
	}
	return binaryOperands(n)
}

func binaryOperands(n jparse.Node) []jparse.Node {
	switch x := n.(type) {
	case *jparse.NumericOperatorNode:
		return []jparse.Node{x.LHS, x.RHS}
	case *jparse.ComparisonOperatorNode:
		return []jparse.Node{x.LHS, x.RHS}
	case *jparse.BooleanOperatorNode:
		return []jparse.Node{x.LHS, x.RHS}
	case *jparse.StringConcatenationNode:
		return []jparse.Node{x.LHS, x.RHS}
	case *jparse.FunctionApplicationNode:
		return []jparse.Node{x.LHS, x.RHS}
	}
	return nil
}
