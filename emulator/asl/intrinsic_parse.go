package asl

import (
	"fmt"
	"strings"

	"github.com/stepwire/stepwire/emulator/asl/budget"
	"github.com/stepwire/stepwire/emulator/asl/jsonpath"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// Call is a compiled intrinsic function call such as
// States.Format('{} items', $.n).
type Call struct {
	Name string
	Args []Arg
	fn   intrinsicFunc
}

// Arg is one argument of a Call: a literal, a path or a nested call.
type Arg struct {
	Literal any
	Path    *jsonpath.Path
	Call    *Call
}

func (a *Arg) eval(env *Env, m *budget.Meter) (any, error) {
	switch {
	case a.Call != nil:
		return a.Call.eval(env, m)
	case a.Path != nil:
		v, ok := env.Lookup(a.Path)
		if !ok {
			return nil, evalErrorf("The JSONPath '%s' could not be found in the input '%s'", a.Path.Text, jsonv.Encode(env.Input))
		}
		return v, pathBuilt(m, a.Path, v)
	}
	return a.Literal, nil
}

type callParser struct {
	s   string
	pos int
}

func parseCall(text string) (*Call, error) {
	p := &callParser{s: text}
	c, err := p.call()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.pos != len(p.s) {
		return nil, fmt.Errorf("unexpected text after call at %d", p.pos)
	}
	return c, nil
}

func (p *callParser) space() {
	for p.pos < len(p.s) && (p.s[p.pos] == ' ' || p.s[p.pos] == '\t' || p.s[p.pos] == '\n') {
		p.pos++
	}
}

func (p *callParser) call() (*Call, error) {
	open := strings.IndexByte(p.s[p.pos:], '(')
	if open < 0 {
		return nil, fmt.Errorf("missing '(' in intrinsic call")
	}
	name := strings.TrimSpace(p.s[p.pos : p.pos+open])
	fn, ok := intrinsics[name]
	if !ok {
		return nil, fmt.Errorf("unknown intrinsic function %q", name)
	}
	p.pos += open + 1
	c := &Call{Name: name, fn: fn}
	p.space()
	if p.pos < len(p.s) && p.s[p.pos] == ')' {
		p.pos++
		return c, nil
	}
	for {
		p.space()
		a, err := p.arg()
		if err != nil {
			return nil, err
		}
		c.Args = append(c.Args, a)
		p.space()
		if p.pos >= len(p.s) {
			return nil, fmt.Errorf("unterminated intrinsic call")
		}
		switch p.s[p.pos] {
		case ',':
			p.pos++
		case ')':
			p.pos++
			return c, nil
		default:
			return nil, fmt.Errorf("unexpected %q in intrinsic call", p.s[p.pos])
		}
	}
}

func (p *callParser) arg() (Arg, error) {
	if p.pos >= len(p.s) {
		return Arg{}, fmt.Errorf("missing argument")
	}
	switch c := p.s[p.pos]; {
	case c == '\'':
		s, err := p.str()
		return Arg{Literal: s}, err
	case c == '$':
		return p.path()
	case strings.HasPrefix(p.s[p.pos:], "States."):
		call, err := p.call()
		return Arg{Call: call}, err
	default:
		return p.literal()
	}
}

func (p *callParser) str() (string, error) {
	p.pos++
	var b strings.Builder
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		switch c {
		case '\\':
			if p.pos+1 >= len(p.s) {
				return "", fmt.Errorf("dangling escape")
			}
			n := p.s[p.pos+1]
			if !strings.ContainsRune(`'{}\`, rune(n)) {
				return "", fmt.Errorf("illegal escape \\%c", n)
			}
			b.WriteByte(n)
			p.pos += 2
		case '\'':
			p.pos++
			return b.String(), nil
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	return "", fmt.Errorf("unterminated string literal")
}

func (p *callParser) path() (Arg, error) {
	start, depth := p.pos, 0
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if c == '[' {
			depth++
		} else if c == ']' {
			depth--
		} else if depth == 0 && (c == ',' || c == ')') {
			break
		}
		p.pos++
	}
	path, err := jsonpath.Compile(strings.TrimSpace(p.s[start:p.pos]))
	return Arg{Path: path}, err
}

func (p *callParser) literal() (Arg, error) {
	start := p.pos
	for p.pos < len(p.s) && p.s[p.pos] != ',' && p.s[p.pos] != ')' {
		p.pos++
	}
	word := strings.TrimSpace(p.s[start:p.pos])
	v, err := jsonv.DecodeString(word)
	if err != nil {
		return Arg{}, fmt.Errorf("bad literal %q", word)
	}
	switch v.(type) {
	case *jsonv.Object, []any, string:
		return Arg{}, fmt.Errorf("bad literal %q", word)
	}
	return Arg{Literal: v}, nil
}
