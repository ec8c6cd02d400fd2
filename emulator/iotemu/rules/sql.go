package rules

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrSQLParse is wrapped by every Parse error; the control plane answers
// it with SqlParseException.
var ErrSQLParse = errors.New("sql parse error")

// SQL versions (awsIotSqlVersion).
const (
	Version20151008 = "2015-10-08"
	Version20160323 = "2016-03-23"
	VersionBeta     = "beta"
)

// Query is a parsed rule statement:
// SELECT [VALUE] <items> FROM '<topic filter>' [WHERE <condition>].
//
// Items are `*` or expressions, each optionally `AS alias`. Expressions
// are literals (strings in single quotes, numbers, true, false, null),
// attribute paths with `.name` and `[index]`, function calls, the
// operators + - * / % = <> != < <= > >= AND OR NOT and parentheses.
// Keywords are case-insensitive.
type Query struct {
	// Filter is the FROM topic filter.
	Filter  string
	version string
	value   bool
	items   []selectItem
	where   expr
}

type selectItem struct {
	star bool
	e    expr
	name string
}

type parser struct {
	toks    []token
	i       int
	version string
	depth   int
}

// maxDepth bounds expression nesting.
const maxDepth = 64

// Parse parses a rule SQL statement with SQL version 2015-10-08.
func Parse(sql string) (*Query, error) { return Compile(sql, "") }

// Compile parses sql for the given SQL version ("" is 2015-10-08, the
// default when a rule names none).
func Compile(sql, version string) (*Query, error) {
	switch version {
	case "":
		version = Version20151008
	case Version20151008, Version20160323, VersionBeta:
	default:
		return nil, fmt.Errorf("%w: unknown awsIotSqlVersion %q", ErrSQLParse, version)
	}
	toks, err := lex(sql)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSQLParse, err)
	}
	p := &parser{toks: toks, version: version}
	q, err := p.query()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSQLParse, err)
	}
	q.version = version
	return q, nil
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func (p *parser) isKeyword(k string) bool {
	t := p.peek()
	return t.kind == tokIdent && strings.EqualFold(t.text, k)
}

func (p *parser) keyword(k string) bool {
	if p.isKeyword(k) {
		p.i++
		return true
	}
	return false
}

func (p *parser) symbol(s string) bool {
	if t := p.peek(); t.kind == tokSymbol && t.text == s {
		p.i++
		return true
	}
	return false
}

func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("at %d: %s", p.peek().pos, fmt.Sprintf(format, args...))
}

func (p *parser) query() (*Query, error) {
	if !p.keyword("SELECT") {
		return nil, p.errorf("expected SELECT")
	}
	q := &Query{}
	if p.keyword("VALUE") {
		q.value = true
	}
	for {
		it, err := p.selectItem(len(q.items))
		if err != nil {
			return nil, err
		}
		q.items = append(q.items, it)
		if !p.symbol(",") {
			break
		}
	}
	if q.value && (len(q.items) != 1 || q.items[0].star) {
		return nil, p.errorf("SELECT VALUE takes one expression")
	}
	if !p.keyword("FROM") {
		return nil, p.errorf("expected FROM")
	}
	t := p.next()
	if t.kind != tokString || !ValidFilter(t.text) {
		return nil, fmt.Errorf("at %d: FROM needs a quoted topic filter", t.pos)
	}
	q.Filter = t.text
	if p.keyword("WHERE") {
		w, err := p.expr()
		if err != nil {
			return nil, err
		}
		q.where = w
	}
	if p.peek().kind != tokEOF {
		return nil, p.errorf("unexpected %q", p.peek().text)
	}
	return q, nil
}

func (p *parser) selectItem(index int) (selectItem, error) {
	if p.symbol("*") {
		return selectItem{star: true}, nil
	}
	e, err := p.expr()
	if err != nil {
		return selectItem{}, err
	}
	name := nameOf(e)
	if name == "" {
		name = "_" + strconv.Itoa(index+1)
	}
	if p.keyword("AS") {
		t := p.next()
		if t.kind != tokIdent {
			return selectItem{}, fmt.Errorf("at %d: expected alias after AS", t.pos)
		}
		name = t.text
	}
	return selectItem{e: e, name: name}, nil
}

// nameOf is the key an unaliased SELECT item gets: the last path segment
// or the function name.
func nameOf(e expr) string {
	switch x := e.(type) {
	case attrPath:
		for i := len(x) - 1; i >= 0; i-- {
			if x[i].index < 0 {
				return x[i].name
			}
		}
	case call:
		return x.fn
	}
	return ""
}

func (p *parser) expr() (expr, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return nil, p.errorf("expression nested too deeply")
	}
	return p.or()
}

func (p *parser) or() (expr, error) {
	l, err := p.and()
	for err == nil && p.keyword("OR") {
		var r expr
		r, err = p.and()
		l = logical{or: true, l: l, r: r}
	}
	return l, err
}

func (p *parser) and() (expr, error) {
	l, err := p.not()
	for err == nil && p.keyword("AND") {
		var r expr
		r, err = p.not()
		l = logical{l: l, r: r}
	}
	return l, err
}

func (p *parser) not() (expr, error) {
	if p.keyword("NOT") {
		p.depth++
		defer func() { p.depth-- }()
		if p.depth > maxDepth {
			return nil, p.errorf("expression nested too deeply")
		}
		e, err := p.not()
		return negation{e}, err
	}
	return p.comparison()
}

var comparators = map[string]bool{"=": true, "<>": true, "!=": true, "<": true, "<=": true, ">": true, ">=": true}

func (p *parser) comparison() (expr, error) {
	l, err := p.additive()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind == tokSymbol && comparators[t.text] {
		p.i++
		r, err := p.additive()
		if err != nil {
			return nil, err
		}
		return compare{op: t.text, l: l, r: r}, nil
	}
	return l, nil
}

func (p *parser) additive() (expr, error) {
	l, err := p.multiplicative()
	for err == nil {
		t := p.peek()
		if t.kind != tokSymbol || (t.text != "+" && t.text != "-") {
			break
		}
		p.i++
		var r expr
		r, err = p.multiplicative()
		l = arith{op: t.text[0], l: l, r: r}
	}
	return l, err
}

func (p *parser) multiplicative() (expr, error) {
	l, err := p.unary()
	for err == nil {
		t := p.peek()
		if t.kind != tokSymbol || (t.text != "*" && t.text != "/" && t.text != "%") {
			break
		}
		p.i++
		var r expr
		r, err = p.unary()
		l = arith{op: t.text[0], l: l, r: r}
	}
	return l, err
}

func (p *parser) unary() (expr, error) {
	if p.symbol("-") {
		p.depth++
		defer func() { p.depth-- }()
		if p.depth > maxDepth {
			return nil, p.errorf("expression nested too deeply")
		}
		e, err := p.unary()
		return arith{op: '-', l: literal{float64(0)}, r: e}, err
	}
	return p.primary()
}

func (p *parser) primary() (expr, error) {
	if p.symbol("(") {
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		if !p.symbol(")") {
			return nil, p.errorf("expected )")
		}
		return e, nil
	}
	t := p.next()
	switch t.kind {
	case tokString:
		return literal{t.text}, nil
	case tokNumber:
		f, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return nil, fmt.Errorf("at %d: bad number %q", t.pos, t.text)
		}
		return literal{f}, nil
	case tokIdent:
		switch strings.ToLower(t.text) {
		case "true", "false":
			return literal{strings.EqualFold(t.text, "true")}, nil
		case "null":
			return literal{nil}, nil
		}
		if p.symbol("(") {
			return p.call(t)
		}
		return p.path(segment{name: t.text, index: -1})
	}
	if t.kind == tokEOF {
		return nil, fmt.Errorf("at %d: unexpected end of statement", t.pos)
	}
	return nil, fmt.Errorf("at %d: unexpected %q", t.pos, t.text)
}

// path parses the rest of an attribute path: `.name` and `[index]`.
func (p *parser) path(first segment) (expr, error) {
	path := attrPath{first}
	for {
		switch {
		case p.symbol("."):
			seg := p.next()
			if seg.kind != tokIdent {
				return nil, fmt.Errorf("at %d: expected attribute name", seg.pos)
			}
			path = append(path, segment{name: seg.text, index: -1})
		case p.symbol("["):
			t := p.next()
			n, err := strconv.Atoi(t.text)
			if t.kind != tokNumber || err != nil || n < 0 || !p.symbol("]") {
				return nil, fmt.Errorf("at %d: expected [index]", t.pos)
			}
			path = append(path, segment{index: n})
		default:
			return path, nil
		}
	}
}

func (p *parser) call(name token) (expr, error) {
	var args []expr
	for !p.symbol(")") {
		if len(args) > 0 && !p.symbol(",") {
			return nil, p.errorf("expected , or )")
		}
		if p.peek().kind == tokSymbol && p.peek().text == "*" {
			// `*` as an argument is the whole payload: encode(*, 'base64').
			p.i++
			args = append(args, payloadRef{})
			continue
		}
		a, err := p.expr()
		if err != nil {
			return nil, err
		}
		args = append(args, a)
	}
	fn := strings.ToLower(name.text)
	f, ok := functions[fn]
	if !ok || len(args) < f.min || len(args) > f.max {
		return nil, fmt.Errorf("at %d: unsupported function %s with %d arguments", name.pos, name.text, len(args))
	}
	if f.since2016 && p.version == Version20151008 {
		return nil, fmt.Errorf("at %d: %s needs awsIotSqlVersion 2016-03-23", name.pos, name.text)
	}
	return call{fn: fn, args: args}, nil
}
