package policy

import (
	"encoding/json"
	"sort"
	"strings"
)

// condition is one (operator, key, values) triple of a Condition block.
// Operators: StringEquals, StringNotEquals, StringEqualsIgnoreCase,
// StringNotEqualsIgnoreCase, StringLike, StringNotLike and Bool, each
// optionally with the IfExists suffix. Any other operator never holds, so
// an Allow guarded by it never applies.
type condition struct {
	op       string
	ifExists bool
	key      string
	values   []pattern
}

var knownOperators = map[string]bool{
	"StringEquals": true, "StringNotEquals": true,
	"StringEqualsIgnoreCase": true, "StringNotEqualsIgnoreCase": true,
	"StringLike": true, "StringNotLike": true, "Bool": true,
}

func parseConditions(block map[string]map[string]json.RawMessage, vars bool) ([]condition, error) {
	ops := make([]string, 0, len(block))
	for op := range block {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	var out []condition
	for _, op := range ops {
		base, ifExists := strings.CutSuffix(op, "IfExists")
		for key, raw := range block[op] {
			strs, err := stringOrArray(raw)
			if err != nil || len(strs) == 0 {
				return nil, malformed("condition %s %s: values must be a string or an array of strings", op, key)
			}
			c := condition{op: base, ifExists: ifExists, key: key}
			for _, s := range strs {
				c.values = append(c.values, compilePattern(s, vars))
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// holds evaluates the condition against the request context. A key the
// context lacks fails a positive operator and satisfies a negated one, as
// in IAM; IfExists makes a missing key satisfy either.
func (c condition) holds(ctx map[string]string) bool {
	if !knownOperators[c.op] {
		return false
	}
	v, ok := ctx[c.key]
	if !ok {
		return c.ifExists || strings.Contains(c.op, "Not")
	}
	switch c.op {
	case "StringEquals", "Bool":
		return c.anyEqual(v, ctx, c.op == "Bool")
	case "StringNotEquals":
		return !c.anyEqual(v, ctx, false)
	case "StringEqualsIgnoreCase":
		return c.anyEqual(v, ctx, true)
	case "StringNotEqualsIgnoreCase":
		return !c.anyEqual(v, ctx, true)
	case "StringLike":
		return matchAny(c.values, v, ctx, false)
	case "StringNotLike":
		return !matchAny(c.values, v, ctx, false)
	}
	return false
}

// anyEqual compares v with each value literally: wildcards are ordinary
// characters for the Equals operators.
func (c condition) anyEqual(v string, ctx map[string]string, fold bool) bool {
	for _, p := range c.values {
		parts, ok := p.resolve(ctx)
		if !ok {
			continue
		}
		var b strings.Builder
		for _, pt := range parts {
			switch pt.kind {
			case partStar:
				b.WriteByte('*')
			case partOne:
				b.WriteByte('?')
			default:
				b.WriteString(pt.text)
			}
		}
		if b.String() == v || (fold && strings.EqualFold(b.String(), v)) {
			return true
		}
	}
	return false
}
