package jsonata

import (
	"errors"
	"reflect"
	"regexp"
	"strings"

	xia "github.com/xiatechs/jsonata-go"
	"github.com/xiatechs/jsonata-go/jlib"
	"github.com/xiatechs/jsonata-go/jtypes"

	"github.com/stepwire/stepwire/emulator/asl/budget"
)

// replaceFunc binds $replace for one evaluation. The engine's version
// rebuilds the whole string for every regular-expression match, which
// takes quadratic time (a regex replace over 200,000 characters took
// 20 s); this one writes the result once, left to right, checking the
// memory budget as it grows. Replacing a plain string, or with a matcher
// function that is not a regex, stays the engine's (already linear).
func (r *run) replaceFunc(b builtin) xia.Extension {
	f := func(src string, pattern, repl jlib.StringCallable, limit jtypes.OptionalInt) (string, error) {
		if err := r.step(1 + int64(len(src))/64); err != nil {
			return "", err
		}
		re, ok := regexOf(pattern)
		if !ok || limit.Int < 0 {
			return r.replaceByEngine(src, pattern, repl, limit)
		}
		n := -1
		if limit.IsSet() {
			n = limit.Int
		}
		return r.replaceRegex(src, re, reflect.Value(repl), n)
	}
	return xia.Extension{Func: f, UndefinedHandler: b.undefined, EvalContextHandler: b.context}
}

// regexOf is the regular expression a $replace pattern holds.
func regexOf(pattern jlib.StringCallable) (*regexp.Regexp, bool) {
	v := reflect.Value(pattern)
	if !v.IsValid() || !v.CanInterface() {
		return nil, false
	}
	c, ok := v.Interface().(jtypes.Convertible)
	if !ok {
		return nil, false
	}
	rv, ok := c.ConvertTo(reflect.TypeFor[*regexp.Regexp]())
	if !ok {
		return nil, false
	}
	re, ok := rv.Interface().(*regexp.Regexp)
	return re, ok && re != nil
}

// replaceByEngine is the engine's $replace, with the size of a string
// replacement checked first.
func (r *run) replaceByEngine(src string, pattern, repl jlib.StringCallable, limit jtypes.OptionalInt) (string, error) {
	p, pok := reflect.Value(pattern).Interface().(string)
	s, sok := reflect.Value(repl).Interface().(string)
	if pok && sok && p != "" {
		n := int64(strings.Count(src, p))
		if limit.IsSet() && limit.Int >= 0 {
			n = min(n, int64(limit.Int))
		}
		if err := r.reserve(budget.StringBytes + int64(len(src)) + n*int64(len(s))); err != nil {
			return "", err
		}
	}
	out, err := jlib.Replace(src, pattern, repl, limit)
	if err != nil {
		return "", err
	}
	return out, r.built(out)
}

// replaceRegex replaces the first n matches of re in src (all when n < 0)
// with repl: a string in which $0 is the match and $1... its groups, or a
// function given {match, index, groups}.
func (r *run) replaceRegex(src string, re *regexp.Regexp, repl reflect.Value, n int) (string, error) {
	var fn jtypes.Callable
	var text string
	switch x := repl.Interface().(type) {
	case string:
		text = x
	case jtypes.Callable:
		fn = x
	default:
		return "", errors.New("third argument of function replace must be a string or a function")
	}
	var out strings.Builder
	last := 0
	for _, idx := range re.FindAllStringSubmatchIndex(src, n) {
		m := matchAt(src, idx)
		piece := text
		if fn != nil {
			var err error
			if piece, err = callReplacer(fn, m); err != nil {
				return "", err
			}
		} else if strings.ContainsRune(text, '$') {
			piece = expandReplacement(text, m)
		}
		if err := r.reserve(int64(out.Len() + (idx[0] - last) + len(piece) + len(src) - idx[1])); err != nil {
			return "", err
		}
		out.WriteString(src[last:idx[0]])
		out.WriteString(piece)
		last = idx[1]
	}
	out.WriteString(src[last:])
	s := out.String()
	return s, r.built(s)
}

// regexMatch is one match: its text, byte offset and groups (an empty
// string for a group that did not take part).
type regexMatch struct {
	value  string
	index  int
	groups []string
}

func matchAt(src string, idx []int) regexMatch {
	m := regexMatch{value: src[idx[0]:idx[1]], index: idx[0], groups: make([]string, len(idx)/2-1)}
	for j := range m.groups {
		if a, b := idx[2*j+2], idx[2*j+3]; a >= 0 {
			m.groups[j] = src[a:b]
		}
	}
	return m
}

func callReplacer(fn jtypes.Callable, m regexMatch) (string, error) {
	data := map[string]any{"match": m.value, "index": m.index, "groups": m.groups}
	v, err := fn.Call([]reflect.Value{reflect.ValueOf(data)})
	if err != nil {
		return "", err
	}
	s, ok := jtypes.AsString(v)
	if !ok {
		return "", errors.New("third argument of function replace must be a function that returns a string")
	}
	return s, nil
}

// expandReplacement substitutes $0 (the match), $N (group N, taking the
// longest N that names a group, as JSONata does) and $$ (a dollar) in s.
func expandReplacement(s string, m regexMatch) string {
	var out strings.Builder
	for {
		pos := strings.IndexByte(s, '$')
		if pos < 0 {
			out.WriteString(s)
			return out.String()
		}
		out.WriteString(s[:pos])
		s = s[pos+1:]
		switch {
		case s == "":
			out.WriteByte('$')
			return out.String()
		case s[0] == '$':
			out.WriteByte('$')
			s = s[1:]
			continue
		case s[0] < '0' || s[0] > '9':
			out.WriteByte('$')
			continue
		case s[0] == '0':
			out.WriteString(m.value)
			s = s[1:]
			continue
		}
		digits := 0
		for digits < len(s) && s[digits] >= '0' && s[digits] <= '9' {
			digits++
		}
		used := false
		for d := digits; d >= 1; d-- {
			if g := atoiDigits(s[:d]) - 1; g < len(m.groups) {
				out.WriteString(m.groups[g])
				s = s[d:]
				used = true
				break
			}
		}
		if !used {
			s = s[1:]
		}
	}
}

func atoiDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if n > 1<<40 {
			return n
		}
		n = n*10 + int(s[i]-'0')
	}
	return n
}
