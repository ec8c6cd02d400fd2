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

// Query is a parsed rule statement:
// SELECT <items> FROM '<topic filter>' [WHERE <condition>].
//
// Items are `*`, attribute paths (`a.b.c`), string, number and boolean
// literals and the functions topic(), topic(n), clientid() and
// timestamp(), each optionally `AS alias`. WHERE supports AND, OR, NOT,
// parentheses and the comparisons = <> != < <= > >=. Keywords are
// case-insensitive.
type Query struct {
	// Filter is the FROM topic filter.
	Filter string
	items  []selectItem
	where  expr
}

type selectItem struct {
	star bool
	e    expr
	name string
}

type parser struct {
	toks []token
	i    int
}

// Parse parses a rule SQL statement.
func Parse(sql string) (*Query, error) {
	toks, err := lex(sql)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSQLParse, err)
	}
	p := &parser{toks: toks}
	q, err := p.query()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSQLParse, err)
	}
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

func (p *parser) keyword(k string) bool {
	if t := p.peek(); t.kind == tokIdent && strings.EqualFold(t.text, k) {
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
	if !p.keyword("FROM") {
		return nil, p.errorf("expected FROM")
	}
	t := p.next()
	if t.kind != tokString || !ValidFilter(t.text) {
		return nil, fmt.Errorf("at %d: FROM needs a quoted topic filter", t.pos)
	}
	q.Filter = t.text
	if p.keyword("WHERE") {
		w, err := p.or()
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
	e, name, err := p.operand()
	if err != nil {
		return selectItem{}, err
	}
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
		e, err := p.not()
		return negation{e}, err
	}
	return p.comparison()
}

var comparators = map[string]bool{"=": true, "<>": true, "!=": true, "<": true, "<=": true, ">": true, ">=": true}

func (p *parser) comparison() (expr, error) {
	l, err := p.primary()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind == tokSymbol && comparators[t.text] {
		p.i++
		r, err := p.primary()
		if err != nil {
			return nil, err
		}
		return compare{op: t.text, l: l, r: r}, nil
	}
	return l, nil
}

func (p *parser) primary() (expr, error) {
	if p.symbol("(") {
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if !p.symbol(")") {
			return nil, p.errorf("expected )")
		}
		return e, nil
	}
	e, _, err := p.operand()
	return e, err
}

// operand parses a literal, a function call or an attribute path, and
// returns the name an unaliased SELECT item gets.
func (p *parser) operand() (expr, string, error) {
	t := p.next()
	switch t.kind {
	case tokString:
		return literal{t.text}, "", nil
	case tokNumber:
		f, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return nil, "", fmt.Errorf("at %d: bad number %q", t.pos, t.text)
		}
		return literal{f}, "", nil
	case tokSymbol:
		if t.text == "-" && p.peek().kind == tokNumber {
			e, _, err := p.operand()
			if err != nil {
				return nil, "", err
			}
			return literal{-e.(literal).v.(float64)}, "", nil
		}
		return nil, "", fmt.Errorf("at %d: unexpected %q", t.pos, t.text)
	case tokIdent:
		switch strings.ToLower(t.text) {
		case "true", "false":
			return literal{strings.EqualFold(t.text, "true")}, "", nil
		case "null":
			return literal{nil}, "", nil
		}
		if p.symbol("(") {
			return p.call(t)
		}
		path := []string{t.text}
		for p.symbol(".") {
			seg := p.next()
			if seg.kind != tokIdent {
				return nil, "", fmt.Errorf("at %d: expected attribute name", seg.pos)
			}
			path = append(path, seg.text)
		}
		return attrPath(path), path[len(path)-1], nil
	}
	return nil, "", fmt.Errorf("at %d: unexpected end of statement", t.pos)
}

func (p *parser) call(name token) (expr, string, error) {
	var args []expr
	for !p.symbol(")") {
		if len(args) > 0 && !p.symbol(",") {
			return nil, "", p.errorf("expected , or )")
		}
		a, err := p.or()
		if err != nil {
			return nil, "", err
		}
		args = append(args, a)
	}
	fn := strings.ToLower(name.text)
	if want, ok := functionArity[fn]; !ok || len(args) < want[0] || len(args) > want[1] {
		return nil, "", fmt.Errorf("at %d: unsupported function %s with %d arguments", name.pos, name.text, len(args))
	}
	return call{fn: fn, args: args}, fn, nil
}

// SQL versions (awsIotSqlVersion).
const (
	Version20151008 = "2015-10-08"
	Version20160323 = "2016-03-23"
	VersionBeta     = "beta"
)

// Compile parses sql for the given SQL version ("" is 2015-10-08).
func Compile(sql, version string) (*Query, error) {
	switch version {
	case "", Version20151008, Version20160323, VersionBeta:
	default:
		return nil, fmt.Errorf("%w: unknown awsIotSqlVersion %q", ErrSQLParse, version)
	}
	return Parse(sql)
}
