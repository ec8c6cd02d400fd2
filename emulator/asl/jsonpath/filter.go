package jsonpath

import (
	"fmt"
	"strings"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// filter is a [?(@.x op literal)] or [?(@.x)] selector.
type filter struct {
	rel     *Path // path relative to the element (@)
	op      string
	operand any
}

var filterOps = []string{"==", "!=", "<=", ">=", "<", ">"}

func parseFilter(body string) (*filter, error) {
	inner, ok := strings.CutPrefix(body, "?(")
	if !ok || !strings.HasSuffix(inner, ")") {
		return nil, fmt.Errorf("bad filter [%s]", body)
	}
	inner = strings.TrimSpace(strings.TrimSuffix(inner, ")"))
	f := &filter{}
	left := inner
	for _, op := range filterOps {
		if i := strings.Index(inner, op); i >= 0 {
			left, f.op = strings.TrimSpace(inner[:i]), op
			lit := strings.TrimSpace(inner[i+len(op):])
			if strings.HasPrefix(lit, "'") && strings.HasSuffix(lit, "'") && len(lit) >= 2 {
				f.operand = lit[1 : len(lit)-1]
			} else {
				v, err := jsonv.DecodeString(lit)
				if err != nil {
					return nil, fmt.Errorf("bad filter operand %q", lit)
				}
				f.operand = v
			}
			break
		}
	}
	if !strings.HasPrefix(left, "@") {
		return nil, fmt.Errorf("bad filter [%s]", body)
	}
	rel, err := Compile("$" + left[1:])
	if err != nil || !rel.definite {
		return nil, fmt.Errorf("bad filter [%s]", body)
	}
	f.rel = rel
	return f, nil
}

func (f *filter) keep(elem any) bool {
	v, ok := f.rel.Get(elem)
	if !ok {
		return false
	}
	if f.op == "" {
		return true
	}
	if f.op == "==" || f.op == "!=" {
		return jsonv.Equal(v, f.operand) == (f.op == "==")
	}
	c, ok := compare(v, f.operand)
	if !ok {
		return false
	}
	switch f.op {
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	}
	return c >= 0
}

func compare(a, b any) (int, bool) {
	switch x := a.(type) {
	case jsonv.Number:
		y, ok := b.(jsonv.Number)
		if !ok {
			return 0, false
		}
		fx, fy := x.Float(), y.Float()
		switch {
		case fx < fy:
			return -1, true
		case fx > fy:
			return 1, true
		}
		return 0, true
	case string:
		y, ok := b.(string)
		return strings.Compare(x, y), ok
	}
	return 0, false
}

func (f *filter) apply(out []any, cur any) []any {
	switch x := cur.(type) {
	case []any:
		for _, e := range x {
			if f.keep(e) {
				out = append(out, e)
			}
		}
	case *jsonv.Object:
		for _, m := range x.Members {
			if f.keep(m.Value) {
				out = append(out, m.Value)
			}
		}
	}
	return out
}
