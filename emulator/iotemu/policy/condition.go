package policy

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
)

// ListSeparator joins the values of a multi-valued context key (such as
// iot:Certificate.Subject.Organization.List); the ForAnyValue: and
// ForAllValues: qualifiers compare each value.
const ListSeparator = "\x1f"

// condition is one (operator, key, values) triple of a Condition block.
//
// Operators: StringEquals, StringNotEquals, StringEqualsIgnoreCase,
// StringNotEqualsIgnoreCase, StringLike, StringNotLike, NumericEquals,
// NumericNotEquals, NumericLessThan(Equals), NumericGreaterThan(Equals),
// Bool, ArnEquals, ArnNotEquals, ArnLike, ArnNotLike, IpAddress,
// NotIpAddress and Null; each but Null may carry the IfExists suffix and
// the ForAnyValue: or ForAllValues: qualifier. An unknown operator never
// holds, so an Allow guarded by it never applies.
type condition struct {
	op        string
	ifExists  bool
	qualifier string // "", "ForAnyValue" or "ForAllValues"
	key       string
	values    []pattern
}

// negated operators hold when no value matches.
var negated = map[string]bool{
	"StringNotEquals": true, "StringNotEqualsIgnoreCase": true, "StringNotLike": true,
	"NumericNotEquals": true, "ArnNotEquals": true, "ArnNotLike": true, "NotIpAddress": true,
}

var knownOperators = map[string]bool{
	"StringEquals": true, "StringNotEquals": true, "StringEqualsIgnoreCase": true, "StringNotEqualsIgnoreCase": true,
	"StringLike": true, "StringNotLike": true, "Bool": true, "Null": true,
	"NumericEquals": true, "NumericNotEquals": true, "NumericLessThan": true, "NumericLessThanEquals": true,
	"NumericGreaterThan": true, "NumericGreaterThanEquals": true,
	"ArnEquals": true, "ArnNotEquals": true, "ArnLike": true, "ArnNotLike": true,
	"IpAddress": true, "NotIpAddress": true,
}

func parseConditions(block map[string]map[string]json.RawMessage, vars bool) ([]condition, error) {
	ops := make([]string, 0, len(block))
	for op := range block {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	var out []condition
	for _, op := range ops {
		qualifier, base := "", op
		if q, rest, ok := strings.Cut(op, ":"); ok {
			qualifier, base = q, rest
			if q != "ForAnyValue" && q != "ForAllValues" {
				return nil, malformed("condition %s: unknown qualifier %s", op, q)
			}
		}
		base, ifExists := strings.CutSuffix(base, "IfExists")
		keys := make([]string, 0, len(block[op]))
		for k := range block[op] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, key := range keys {
			strs, err := stringOrArray(block[op][key])
			if err != nil || len(strs) == 0 {
				return nil, malformed("condition %s %s: values must be a string or an array of strings", op, key)
			}
			c := condition{op: base, ifExists: ifExists, qualifier: qualifier, key: key}
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
	if c.op == "Null" {
		want := c.literal(0, ctx) == "true"
		return !ok == want
	}
	if !ok {
		return c.ifExists || negated[c.op]
	}
	switch c.qualifier {
	case "ForAnyValue":
		for _, one := range strings.Split(v, ListSeparator) {
			if c.test(one, ctx) {
				return true
			}
		}
		return false
	case "ForAllValues":
		for _, one := range strings.Split(v, ListSeparator) {
			if !c.test(one, ctx) {
				return false
			}
		}
		return true
	}
	return c.test(v, ctx)
}

// test applies the operator to one context value.
func (c condition) test(v string, ctx map[string]string) bool {
	match := false
	for i := range c.values {
		if c.matchOne(i, v, ctx) {
			match = true
			break
		}
	}
	return match != negated[c.op]
}

func (c condition) matchOne(i int, v string, ctx map[string]string) bool {
	switch strings.TrimPrefix(c.op, "Not") {
	case "StringEquals", "StringNotEquals", "ArnEquals", "ArnNotEquals":
		lit, ok := c.resolved(i, ctx)
		return ok && lit == v
	case "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "Bool":
		lit, ok := c.resolved(i, ctx)
		return ok && strings.EqualFold(lit, v)
	case "StringLike", "StringNotLike", "ArnLike", "ArnNotLike":
		return c.values[i].match(v, ctx, false)
	case "IpAddress":
		lit, ok := c.resolved(i, ctx)
		return ok && inCIDR(v, lit)
	}
	// Numeric operators.
	lit, ok := c.resolved(i, ctx)
	if !ok {
		return false
	}
	a, err1 := strconv.ParseFloat(v, 64)
	b, err2 := strconv.ParseFloat(lit, 64)
	if err1 != nil || err2 != nil {
		return false
	}
	switch c.op {
	case "NumericEquals", "NumericNotEquals":
		return a == b
	case "NumericLessThan":
		return a < b
	case "NumericLessThanEquals":
		return a <= b
	case "NumericGreaterThan":
		return a > b
	case "NumericGreaterThanEquals":
		return a >= b
	}
	return false
}

// resolved renders value i with variables substituted and wildcards as
// ordinary characters (the Equals operators compare literally).
func (c condition) resolved(i int, ctx map[string]string) (string, bool) {
	parts, ok := c.values[i].resolve(ctx)
	if !ok {
		return "", false
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
	return b.String(), true
}

func (c condition) literal(i int, ctx map[string]string) string {
	if i >= len(c.values) {
		return ""
	}
	s, _ := c.resolved(i, ctx)
	return strings.ToLower(s)
}
