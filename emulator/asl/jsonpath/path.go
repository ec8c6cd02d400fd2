// Package jsonpath compiles and evaluates the JSONPath subset Step
// Functions accepts in JSONPath-mode definitions: a root ($ for the state
// data, $$ for the context object) followed by .name, ['name'], [n], [*],
// .*, [a:b] and [a:b:c] steps.
//
// A definite path (names and indexes only) selects one node; a path with a
// wildcard or a slice selects a list, returned as an array (possibly empty)
// the way Step Functions' Jayway-based evaluator does.
package jsonpath

import (
	"fmt"
	"strconv"
	"strings"
)

// Path is a compiled JSONPath.
type Path struct {
	// Text is the path as written.
	Text string
	// Context is set for $$ paths, which read the context object.
	Context bool
	// Var is set for $name paths, which read the workflow variable name.
	Var   string
	steps []step
	// definite is true when every step selects at most one node.
	definite bool
}

type stepKind int

const (
	stepName stepKind = iota
	stepIndex
	stepWildcard
	stepSlice
	stepFilter
)

type step struct {
	kind           stepKind
	name           string
	index          int
	lo, hi, stride int
	hasLo, hasHi   bool
	filter         *filter
}

// Compile parses a path such as "$.a.b[0]" or "$$.Task.Token".
func Compile(text string) (*Path, error) {
	p := &Path{Text: text, definite: true}
	rest := text
	switch {
	case strings.HasPrefix(rest, "$$"):
		p.Context = true
		rest = rest[2:]
	case strings.HasPrefix(rest, "$"):
		rest = rest[1:]
		n := varNameLen(rest)
		p.Var, rest = rest[:n], rest[n:]
	default:
		return nil, fmt.Errorf("path %q must start with $", text)
	}
	for rest != "" {
		s, n, err := parseStep(rest)
		if err != nil {
			return nil, fmt.Errorf("path %q: %w", text, err)
		}
		if s.kind == stepWildcard || s.kind == stepSlice || s.kind == stepFilter {
			p.definite = false
		}
		p.steps = append(p.steps, s)
		rest = rest[n:]
	}
	return p, nil
}

// varNameLen is the length of the variable name s starts with (0 when it
// starts with a step).
func varNameLen(s string) int {
	n := 0
	for n < len(s) {
		c := s[n]
		letter := c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z') || c >= 0x80
		if !letter && (n == 0 || c < '0' || c > '9') {
			break
		}
		n++
	}
	return n
}

// MustCompile is Compile for paths known to be valid.
func MustCompile(text string) *Path {
	p, err := Compile(text)
	if err != nil {
		panic(err)
	}
	return p
}

func parseStep(s string) (step, int, error) {
	switch s[0] {
	case '.':
		if len(s) > 1 && s[1] == '*' {
			return step{kind: stepWildcard}, 2, nil
		}
		if len(s) > 1 && s[1] == '.' {
			return step{}, 0, fmt.Errorf("deep scan is not supported")
		}
		end := 1
		for end < len(s) && s[end] != '.' && s[end] != '[' {
			end++
		}
		if end == 1 {
			return step{}, 0, fmt.Errorf("empty field name")
		}
		return step{kind: stepName, name: s[1:end]}, end, nil
	case '[':
		return parseBracket(s)
	}
	return step{}, 0, fmt.Errorf("unexpected %q", s[0])
}

func parseBracket(s string) (step, int, error) {
	if len(s) > 1 && (s[1] == '\'' || s[1] == '"') {
		q := s[1]
		end := strings.IndexByte(s[2:], q)
		if end < 0 || len(s) < end+4 || s[end+3] != ']' {
			return step{}, 0, fmt.Errorf("unterminated bracket")
		}
		return step{kind: stepName, name: s[2 : end+2]}, end + 4, nil
	}
	if strings.HasPrefix(s, "[?(") {
		end := strings.Index(s, ")]")
		if end < 0 {
			return step{}, 0, fmt.Errorf("unterminated filter")
		}
		f, err := parseFilter(s[1 : end+1])
		return step{kind: stepFilter, filter: f}, end + 2, err
	}
	end := strings.IndexByte(s, ']')
	if end < 0 {
		return step{}, 0, fmt.Errorf("unterminated bracket")
	}
	body := strings.TrimSpace(s[1:end])
	if body == "*" {
		return step{kind: stepWildcard}, end + 1, nil
	}
	if strings.Contains(body, ":") {
		st, err := parseSlice(body)
		return st, end + 1, err
	}
	i, err := strconv.Atoi(body)
	if err != nil {
		return step{}, 0, fmt.Errorf("unsupported selector [%s]", body)
	}
	return step{kind: stepIndex, index: i}, end + 1, nil
}

func parseSlice(body string) (step, error) {
	parts := strings.Split(body, ":")
	if len(parts) > 3 {
		return step{}, fmt.Errorf("bad slice [%s]", body)
	}
	st := step{kind: stepSlice, stride: 1}
	num := func(s string) (int, bool, error) {
		s = strings.TrimSpace(s)
		if s == "" {
			return 0, false, nil
		}
		n, err := strconv.Atoi(s)
		return n, true, err
	}
	var err error
	if st.lo, st.hasLo, err = num(parts[0]); err != nil {
		return st, fmt.Errorf("bad slice [%s]", body)
	}
	if st.hi, st.hasHi, err = num(parts[1]); err != nil {
		return st, fmt.Errorf("bad slice [%s]", body)
	}
	if len(parts) == 3 {
		var has bool
		if st.stride, has, err = num(parts[2]); err != nil || (has && st.stride <= 0) {
			return st, fmt.Errorf("bad slice [%s]", body)
		}
		if !has {
			st.stride = 1
		}
	}
	return st, nil
}

// IsReference reports whether the path is a reference path: names and
// indexes only, selecting a single node.
func (p *Path) IsReference() bool { return p.definite }

// Bracketed renders the path in normalised bracket form, $['a'][0].
func (p *Path) Bracketed() string {
	var b strings.Builder
	b.WriteString("$")
	for _, s := range p.steps {
		switch s.kind {
		case stepName:
			b.WriteString("['" + s.name + "']")
		case stepIndex:
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
		case stepWildcard:
			b.WriteString("[*]")
		case stepSlice:
			b.WriteString("[" + sliceText(s) + "]")
		case stepFilter:
			b.WriteString("[?]")
		}
	}
	return b.String()
}

func sliceText(s step) string {
	t := ""
	if s.hasLo {
		t += strconv.Itoa(s.lo)
	}
	t += ":"
	if s.hasHi {
		t += strconv.Itoa(s.hi)
	}
	return t
}

// String returns the path text.
func (p *Path) String() string { return p.Text }
