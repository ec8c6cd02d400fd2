package jsonata

import (
	"reflect"
	"sort"

	"github.com/xiatechs/jsonata-go/jparse"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// keyOrder gives the engine's objects (Go maps, which keep no order) back
// the key order JSONata 2.x (JavaScript objects) would give them, for one
// evaluation:
//   - an object that came in (input or a variable) and comes out unchanged
//     keeps its own order, found by the map's identity;
//   - an object built by a constructor with literal keys ({"b": .., "a": ..})
//     takes the constructor's order: the first constructor, in expression
//     order, holding every key of the object;
//   - any other object (keys computed at run time, grouping, $merge of
//     several sources) comes out with its keys sorted.
type keyOrder struct {
	byMap map[uintptr]*jsonv.Object
	ctors [][]string
}

// remember records the order of an input object converted to m.
func (ko *keyOrder) remember(m map[string]any, o *jsonv.Object) {
	if ko == nil {
		return
	}
	if ko.byMap == nil {
		ko.byMap = map[uintptr]*jsonv.Object{}
	}
	ko.byMap[reflect.ValueOf(m).Pointer()] = o
}

// keys lists m's keys in the order described on keyOrder.
func (ko *keyOrder) keys(m map[string]any) []string {
	if ko != nil {
		if o, ok := ko.byMap[reflect.ValueOf(m).Pointer()]; ok && len(o.Members) == len(m) {
			keys := make([]string, len(o.Members))
			for i, mb := range o.Members {
				keys[i] = mb.Key
			}
			return keys
		}
		for _, c := range ko.ctors {
			if keys := within(c, m); keys != nil {
				return keys
			}
		}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// within returns the keys of ctor present in m when they are all of m's.
func within(ctor []string, m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for _, k := range ctor {
		if _, ok := m[k]; ok {
			keys = append(keys, k)
		}
	}
	if len(keys) != len(m) {
		return nil
	}
	return keys
}

// constructorKeys lists the key lists of the object constructors in n
// whose keys are all string literals, in expression order.
func constructorKeys(n jparse.Node) [][]string {
	var out [][]string
	var walk func(jparse.Node)
	walk = func(n jparse.Node) {
		if o, ok := n.(*jparse.ObjectNode); ok {
			if keys := literalKeys(o); keys != nil {
				out = append(out, keys)
			}
		}
		for _, c := range allChildren(n) {
			if c != nil {
				walk(c)
			}
		}
	}
	walk(n)
	return out
}

func literalKeys(o *jparse.ObjectNode) []string {
	keys := make([]string, 0, len(o.Pairs))
	for _, p := range o.Pairs {
		s, ok := p[0].(*jparse.StringNode)
		if !ok {
			return nil
		}
		keys = append(keys, s.Value)
	}
	return keys
}

// allChildren lists every operand of n, path steps, predicates and sort
// terms included.
func allChildren(n jparse.Node) []jparse.Node {
	switch x := n.(type) {
	case *jparse.PathNode:
		return x.Steps
	case *jparse.PredicateNode:
		return append([]jparse.Node{x.Expr}, x.Filters...)
	case *jparse.SortNode:
		out := []jparse.Node{x.Expr}
		for _, t := range x.Terms {
			out = append(out, t.Expr)
		}
		return out
	case *jparse.GroupNode:
		return []jparse.Node{x.Expr, x.ObjectNode}
	case *jparse.ObjectNode:
		var out []jparse.Node
		for _, p := range x.Pairs {
			out = append(out, p[0], p[1])
		}
		return out
	case *jparse.ObjectTransformationNode:
		return []jparse.Node{x.Pattern, x.Updates, x.Deletes}
	}
	return children(n)
}
