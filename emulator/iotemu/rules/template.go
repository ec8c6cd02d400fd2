package rules

import (
	"fmt"
	"strings"
)

// Expand replaces each ${expr} substitution template in s (action fields
// such as a republish topic or an execution name prefix) by the value of
// expr for m.
func Expand(s string, m Message) (string, error) {
	if !strings.Contains(s, "${") {
		return s, nil
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return "", fmt.Errorf("%w: unterminated ${ in %q", ErrSQLParse, s)
		}
		b.WriteString(s[:i])
		v, err := evalTemplate(s[i+2:i+j], m)
		if err != nil {
			return "", err
		}
		b.WriteString(v)
		s = s[i+j+1:]
	}
}

func evalTemplate(src string, m Message) (string, error) {
	toks, err := lex(src)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrSQLParse, err)
	}
	p := &parser{toks: toks}
	e, err := p.expr()
	if err == nil && p.peek().kind != tokEOF {
		err = p.errorf("unexpected %q", p.peek().text)
	}
	if err != nil {
		return "", fmt.Errorf("%w: template %q: %v", ErrSQLParse, src, err)
	}
	en := newEnv(m)
	return stringOf(e.eval(en)), nil
}
