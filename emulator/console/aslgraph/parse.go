// Package aslgraph draws an Amazon States Language definition as a graph:
// it reads the states and their transitions (Next, End, Choice rules and
// Default, Catch, Retry), nests the branches of Parallel states and the
// item processor of Map states, lays the states out in layers from
// StartAt down, and renders the result as inline SVG whose state boxes
// carry a CSS class for what an execution did with them.
//
// It reads only the structure of a definition; emulator/asl validates it.
// A definition it cannot read is drawn as an empty graph with the reason.
package aslgraph

import (
	"encoding/json"
	"fmt"
)

// EdgeKind tells the transitions apart.
type EdgeKind string

// The transition kinds, each drawn in its own style.
const (
	EdgeNext    EdgeKind = "next"    // Next of a state
	EdgeChoice  EdgeKind = "choice"  // a Choice rule's Next
	EdgeDefault EdgeKind = "default" // a Choice state's Default
	EdgeCatch   EdgeKind = "catch"   // a Catcher's Next
)

// State is one state of a scope with its transitions.
type State struct {
	Name, Type string
	// Edges leave the state, in definition order.
	Edges []Edge
	// Retry is the number of retriers: drawn as a loop on the state.
	Retry int
	// Children are the branches of a Parallel state or the item
	// processor of a Map state.
	Children []*Scope
}

// Edge is one transition.
type Edge struct {
	Kind  EdgeKind
	To    string
	Label string
}

// Scope is a list of states reached from StartAt: the machine itself, a
// Parallel branch or a Map's item processor. States are in the order a
// breadth-first walk from StartAt finds them; unreachable ones follow in
// name order.
type Scope struct {
	StartAt string
	States  []*State
}

// rawScope and rawState are the JSON shapes read.
type rawScope struct {
	StartAt string              `json:"StartAt"`
	States  map[string]rawState `json:"States"`
}

type rawState struct {
	Type    string `json:"Type"`
	Next    string `json:"Next"`
	Default string `json:"Default"`
	Choices []struct {
		Next string `json:"Next"`
	} `json:"Choices"`
	Catch []struct {
		Next        string   `json:"Next"`
		ErrorEquals []string `json:"ErrorEquals"`
	} `json:"Catch"`
	Retry         []json.RawMessage `json:"Retry"`
	Branches      []rawScope        `json:"Branches"`
	ItemProcessor *rawScope         `json:"ItemProcessor"`
	Iterator      *rawScope         `json:"Iterator"`
}

// maxDepth bounds the nesting read, as a defence against hostile input.
const maxDepth = 32

// Parse reads a definition's structure.
func Parse(definition string) (*Scope, error) {
	var raw rawScope
	if err := json.Unmarshal([]byte(definition), &raw); err != nil {
		return nil, fmt.Errorf("read definition: %w", err)
	}
	return build(raw, 0), nil
}

func build(raw rawScope, depth int) *Scope {
	sc := &Scope{StartAt: raw.StartAt}
	for _, name := range order(raw) {
		sc.States = append(sc.States, buildState(name, raw.States[name], depth))
	}
	return sc
}

func buildState(name string, r rawState, depth int) *State {
	st := &State{Name: name, Type: r.Type, Retry: len(r.Retry)}
	for i, c := range r.Choices {
		st.Edges = append(st.Edges, Edge{Kind: EdgeChoice, To: c.Next, Label: fmt.Sprintf("rule %d", i+1)})
	}
	if r.Default != "" {
		st.Edges = append(st.Edges, Edge{Kind: EdgeDefault, To: r.Default, Label: "default"})
	}
	if r.Next != "" {
		st.Edges = append(st.Edges, Edge{Kind: EdgeNext, To: r.Next})
	}
	for _, c := range r.Catch {
		st.Edges = append(st.Edges, Edge{Kind: EdgeCatch, To: c.Next, Label: catchLabel(c.ErrorEquals)})
	}
	if depth >= maxDepth {
		return st
	}
	for _, b := range r.Branches {
		st.Children = append(st.Children, build(b, depth+1))
	}
	if p := r.ItemProcessor; p != nil {
		st.Children = append(st.Children, build(*p, depth+1))
	} else if p := r.Iterator; p != nil {
		st.Children = append(st.Children, build(*p, depth+1))
	}
	return st
}

func catchLabel(errs []string) string {
	switch len(errs) {
	case 0:
		return "catch"
	case 1:
		return "catch " + errs[0]
	}
	return fmt.Sprintf("catch %s +%d", errs[0], len(errs)-1)
}

// order lists a scope's state names breadth-first from StartAt, then the
// unreachable ones sorted.
func order(raw rawScope) []string {
	seen := map[string]bool{}
	var out []string
	queue := []string{raw.StartAt}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		st, ok := raw.States[name]
		if !ok || seen[name] {
			continue
		}
		seen[name] = true
		out = append(out, name)
		for _, c := range st.Choices {
			queue = append(queue, c.Next)
		}
		queue = append(queue, st.Default, st.Next)
		for _, c := range st.Catch {
			queue = append(queue, c.Next)
		}
	}
	var rest []string
	for name := range raw.States {
		if !seen[name] {
			rest = append(rest, name)
		}
	}
	sortStrings(rest)
	return append(out, rest...)
}
