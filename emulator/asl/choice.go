package asl

import (
	"strings"
	"time"

	"github.com/stepwire/stepwire/emulator/asl/jsonpath"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// Rule is a Choice rule: a comparison on Variable, or And/Or/Not. Only the
// top-level rules of a Choice carry Next.
type Rule struct {
	Variable *jsonpath.Path
	// Op is the comparison operator without a "Path" suffix (for example
	// "NumericLessThan"), or "And", "Or", "Not".
	Op string
	// Value is the literal operand; ValuePath is set for the *Path forms.
	Value     any
	ValuePath *jsonpath.Path
	// timestamp is Value parsed, for Timestamp operators.
	timestamp time.Time
	Children  []*Rule
	Next      string
	// Condition is a JSONata rule's test; Output and Assign belong to
	// top-level rules (Output in JSONata only).
	Condition *JValue
	Output    *JValue
	Assign    *Assign
}

// comparison operators and the JSON type of their literal operand.
var comparators = map[string]string{
	"StringEquals": "string", "StringLessThan": "string", "StringGreaterThan": "string",
	"StringLessThanEquals": "string", "StringGreaterThanEquals": "string", "StringMatches": "string",
	"NumericEquals": "number", "NumericLessThan": "number", "NumericGreaterThan": "number",
	"NumericLessThanEquals": "number", "NumericGreaterThanEquals": "number",
	"BooleanEquals":   "boolean",
	"TimestampEquals": "timestamp", "TimestampLessThan": "timestamp", "TimestampGreaterThan": "timestamp",
	"TimestampLessThanEquals": "timestamp", "TimestampGreaterThanEquals": "timestamp",
	"IsNull": "boolean", "IsPresent": "boolean", "IsNumeric": "boolean", "IsString": "boolean",
	"IsBoolean": "boolean", "IsTimestamp": "boolean",
}

// Match evaluates the rule against env.
func (r *Rule) Match(env *Env) (bool, error) {
	switch r.Op {
	case "And":
		for _, c := range r.Children {
			if ok, err := c.Match(env); err != nil || !ok {
				return false, err
			}
		}
		return true, nil
	case "Or":
		for _, c := range r.Children {
			if ok, err := c.Match(env); err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	case "Not":
		ok, err := r.Children[0].Match(env)
		return !ok, err
	}
	v, present := lookup(env, r.Variable)
	if r.Op == "IsPresent" {
		return present == r.Value.(bool), nil
	}
	if !present {
		return false, env.missError(r.Variable)
	}
	operand := r.Value
	if r.ValuePath != nil {
		var ok bool
		if operand, ok = lookup(env, r.ValuePath); !ok {
			return false, env.missError(r.ValuePath)
		}
	}
	return r.compare(v, operand), nil
}

func lookup(env *Env, p *jsonpath.Path) (any, bool) { return env.Lookup(p) }

func (r *Rule) compare(v, operand any) bool {
	switch {
	case strings.HasPrefix(r.Op, "Is"):
		return typeTest(r.Op, v) == operand.(bool)
	case r.Op == "StringMatches":
		s, ok1 := v.(string)
		pat, ok2 := operand.(string)
		return ok1 && ok2 && wildcardMatch(pat, s)
	case strings.HasPrefix(r.Op, "String"):
		a, ok1 := v.(string)
		b, ok2 := operand.(string)
		return ok1 && ok2 && ordered(r.Op, strings.Compare(a, b))
	case strings.HasPrefix(r.Op, "Numeric"):
		a, ok1 := v.(jsonv.Number)
		b, ok2 := operand.(jsonv.Number)
		return ok1 && ok2 && ordered(r.Op, cmpFloat(a.Float(), b.Float()))
	case r.Op == "BooleanEquals":
		a, ok1 := v.(bool)
		b, ok2 := operand.(bool)
		return ok1 && ok2 && a == b
	case strings.HasPrefix(r.Op, "Timestamp"):
		a, ok1 := asTimestamp(v)
		b, ok2 := r.timestamp, r.ValuePath == nil
		if !ok2 {
			b, ok2 = asTimestamp(operand)
		}
		return ok1 && ok2 && ordered(r.Op, a.Compare(b))
	}
	return false
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ordered applies the operator's relation to a comparison result.
func ordered(op string, c int) bool {
	switch {
	case strings.HasSuffix(op, "GreaterThanEquals"):
		return c >= 0
	case strings.HasSuffix(op, "LessThanEquals"):
		return c <= 0
	case strings.HasSuffix(op, "GreaterThan"):
		return c > 0
	case strings.HasSuffix(op, "LessThan"):
		return c < 0
	}
	return c == 0
}

func typeTest(op string, v any) bool {
	switch op {
	case "IsNull":
		return v == nil
	case "IsNumeric":
		_, ok := v.(jsonv.Number)
		return ok
	case "IsString":
		_, ok := v.(string)
		return ok
	case "IsBoolean":
		_, ok := v.(bool)
		return ok
	case "IsTimestamp":
		_, ok := asTimestamp(v)
		return ok
	}
	return false
}

func asTimestamp(v any) (time.Time, bool) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, false
	}
	return ParseTimestamp(s)
}

// ParseTimestamp parses an ISO-8601 extended offset date-time
// (2016-03-14T01:59:00Z, optional fraction, Z or ±hh:mm).
func ParseTimestamp(s string) (time.Time, bool) {
	if len(s) < 20 || s[10] != 'T' {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}

// wildcardMatch matches s against a StringMatches pattern: * matches any
// run of characters; \* and \\ are literal.
func wildcardMatch(pat, s string) bool {
	if pat == "" {
		return s == ""
	}
	switch {
	case pat[0] == '*':
		for i := 0; i <= len(s); i++ {
			if wildcardMatch(pat[1:], s[i:]) {
				return true
			}
		}
		return false
	case pat[0] == '\\' && len(pat) > 1:
		return s != "" && s[0] == pat[1] && wildcardMatch(pat[2:], s[1:])
	}
	return s != "" && s[0] == pat[0] && wildcardMatch(pat[1:], s[1:])
}
