package aslgraph

import (
	"sort"
	"unicode/utf8"
)

// Layout sizes, in SVG user units.
const (
	nodeH      = 34.0
	minNodeW   = 110.0
	maxNodeW   = 250.0
	charW      = 7.0
	layerGap   = 46.0
	siblingGap = 26.0
	padding    = 14.0
	headerH    = 26.0
	sideRoom   = 40.0 // right of a scope, for edges that go back up
)

// node is a state placed in its scope: x, y are its top-left corner
// relative to the scope's origin.
type node struct {
	st         *State
	rank       int
	x, y, w, h float64
	inner      []*placed
}

// placed is a nested scope at an offset inside its compound node.
type placed struct {
	lay    *layout
	dx, dy float64
}

// layout is a scope laid out in layers.
type layout struct {
	w, h  float64
	nodes []*node
	byNm  map[string]*node
}

// lay lays a scope out: states in layers by their longest path from
// StartAt (back edges ignored), each layer centred.
func lay(sc *Scope) *layout {
	l := &layout{byNm: map[string]*node{}}
	for _, st := range sc.States {
		n := &node{st: st}
		sizeNode(n)
		l.nodes = append(l.nodes, n)
		l.byNm[st.Name] = n
	}
	rankNodes(l, sc.StartAt)
	place(l)
	return l
}

// sizeNode sizes a simple state by its name, a compound one by its
// nested scopes side by side under a header.
func sizeNode(n *node) {
	n.w, n.h = textWidth(n.st.Name), nodeH
	if len(n.st.Children) == 0 {
		return
	}
	x, h := padding, 0.0
	for _, c := range n.st.Children {
		cl := lay(c)
		n.inner = append(n.inner, &placed{lay: cl, dx: x, dy: headerH})
		x += cl.w + siblingGap
		h = max(h, cl.h)
	}
	n.w = max(n.w, x-siblingGap+padding)
	n.h = headerH + h + padding
}

func textWidth(s string) float64 {
	return min(maxNodeW, max(minNodeW, float64(utf8.RuneCountInString(s))*charW+24))
}

// rankNodes gives each node the length of the longest forward path to it
// from StartAt; a DFS tells back edges (to a state on the stack) apart.
func rankNodes(l *layout, start string) {
	var post []*node
	state := map[*node]int{} // 1 on stack, 2 done
	back := map[[2]*node]bool{}
	var visit func(n *node)
	visit = func(n *node) {
		state[n] = 1
		for _, e := range n.st.Edges {
			t := l.byNm[e.To]
			switch {
			case t == nil:
			case state[t] == 1:
				back[[2]*node{n, t}] = true
			case state[t] == 0:
				visit(t)
			}
		}
		state[n] = 2
		post = append(post, n)
	}
	if s := l.byNm[start]; s != nil {
		visit(s)
	}
	for _, n := range l.nodes {
		if state[n] == 0 {
			visit(n)
		}
	}
	for i := len(post) - 1; i >= 0; i-- { // reverse post-order: topological
		n := post[i]
		for _, e := range n.st.Edges {
			if t := l.byNm[e.To]; t != nil && !back[[2]*node{n, t}] && t != n {
				t.rank = max(t.rank, n.rank+1)
			}
		}
	}
}

// place puts the layers under each other and centres each one.
func place(l *layout) {
	layers := map[int][]*node{}
	maxRank := 0
	for _, n := range l.nodes { // definition walk order within a layer
		layers[n.rank] = append(layers[n.rank], n)
		maxRank = max(maxRank, n.rank)
	}
	widths := make([]float64, maxRank+1)
	for r := 0; r <= maxRank; r++ {
		for i, n := range layers[r] {
			if i > 0 {
				widths[r] += siblingGap
			}
			widths[r] += n.w
		}
		l.w = max(l.w, widths[r])
	}
	y := 0.0
	for r := 0; r <= maxRank; r++ {
		x, h := (l.w-widths[r])/2, 0.0
		for _, n := range layers[r] {
			n.x, n.y = x, y
			x += n.w + siblingGap
			h = max(h, n.h)
		}
		y += h + layerGap
	}
	l.h = max(0, y-layerGap)
	l.w += sideRoom
}

func sortStrings(s []string) { sort.Strings(s) }
