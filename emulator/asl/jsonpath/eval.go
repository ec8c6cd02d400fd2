package jsonpath

import (
	"fmt"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// Get evaluates the path against doc. For a definite path it returns the
// node and whether it exists; for an indefinite one it returns the array of
// matches, which always exists.
func (p *Path) Get(doc any) (any, bool) {
	if p.definite {
		cur := doc
		for _, s := range p.steps {
			next, ok := single(cur, s)
			if !ok {
				return nil, false
			}
			cur = next
		}
		return cur, true
	}
	nodes := []any{doc}
	for _, s := range p.steps {
		var out []any
		for _, n := range nodes {
			out = appendMatches(out, n, s)
		}
		nodes = out
	}
	if nodes == nil {
		nodes = []any{}
	}
	return nodes, true
}

func single(cur any, s step) (any, bool) {
	switch s.kind {
	case stepName:
		o, ok := cur.(*jsonv.Object)
		if !ok {
			return nil, false
		}
		return o.Get(s.name)
	case stepIndex:
		a, ok := cur.([]any)
		if !ok {
			return nil, false
		}
		i := s.index
		if i < 0 {
			i += len(a)
		}
		if i < 0 || i >= len(a) {
			return nil, false
		}
		return a[i], true
	}
	return nil, false
}

func appendMatches(out []any, cur any, s step) []any {
	switch s.kind {
	case stepName, stepIndex:
		if v, ok := single(cur, s); ok {
			out = append(out, v)
		}
	case stepWildcard:
		switch x := cur.(type) {
		case []any:
			out = append(out, x...)
		case *jsonv.Object:
			for _, m := range x.Members {
				out = append(out, m.Value)
			}
		}
	case stepFilter:
		out = s.filter.apply(out, cur)
	case stepSlice:
		a, ok := cur.([]any)
		if !ok {
			return out
		}
		lo, hi := bounds(s, len(a))
		for i := lo; i < hi; i += s.stride {
			out = append(out, a[i])
			if i > hi-s.stride { // the next step would overflow, or end anyway
				break
			}
		}
	}
	return out
}

func bounds(s step, n int) (int, int) {
	lo, hi := 0, n
	if s.hasLo {
		lo = s.lo
		if lo < 0 {
			lo += n
		}
	}
	if s.hasHi {
		hi = s.hi
		if hi < 0 {
			hi += n
		}
	}
	lo = max(0, min(lo, n))
	hi = max(0, min(hi, n))
	return lo, hi
}

// Set returns a copy of doc with v stored at the path, creating missing
// objects on the way (the ResultPath rule). Only reference paths can be
// set. The root path returns v itself.
func (p *Path) Set(doc, v any) (any, error) {
	if !p.definite {
		return nil, fmt.Errorf("invalid path '%s' : not a reference path", p.Text)
	}
	return p.set(doc, 0, v)
}

func (p *Path) set(cur any, i int, v any) (any, error) {
	if i == len(p.steps) {
		return v, nil
	}
	s := p.steps[i]
	switch s.kind {
	case stepName:
		var o *jsonv.Object
		switch x := cur.(type) {
		case *jsonv.Object:
			o = x.Copy()
		case nil:
			o = jsonv.NewObject(1)
		default:
			return nil, p.missing(i)
		}
		child, _ := o.Get(s.name)
		nv, err := p.set(child, i+1, v)
		if err != nil {
			return nil, err
		}
		o.Set(s.name, nv)
		return o, nil
	case stepIndex:
		a, ok := cur.([]any)
		if !ok || s.index < 0 || s.index >= len(a) {
			return nil, p.missing(i)
		}
		c := append([]any(nil), a...)
		nv, err := p.set(c[s.index], i+1, v)
		if err != nil {
			return nil, err
		}
		c[s.index] = nv
		return c, nil
	}
	return nil, p.missing(i)
}

func (p *Path) missing(i int) error {
	prefix := &Path{steps: p.steps[:i+1]}
	return fmt.Errorf("Invalid path '%s' : Missing property in path %s", p.Text, prefix.Bracketed())
}
