package pattern

import "strings"

// Operator names (docs/eventbridge.md §2.2).
const (
	opPrefix       = "prefix"
	opSuffix       = "suffix"
	opEqualsIgnore = "equals-ignore-case"
	opWildcard     = "wildcard"
	opAnythingBut  = "anything-but"
	opNumeric      = "numeric"
	opExists       = "exists"
	opCIDR         = "cidr"
)

// Reasons shared by several operators, in EventBridge's words.
const (
	oneKeyOnly     = "Only one key allowed in match expression"
	tooManyNumeric = "Too many elements in numeric expression"
)

// compileOperator compiles an operator object such as {"prefix": "x"}.
func compileOperator(obj jvalue) (cond, *Error) {
	if len(obj.members) == 0 {
		return cond{}, invalid("Match expression name not found")
	}
	name, val, extra := obj.members[0].key, obj.members[0].val, len(obj.members) > 1
	compile, ok := operators[name]
	if !ok {
		return cond{}, invalid("Unrecognized match type %s", name)
	}
	c, err := compile(val)
	if err != nil {
		return cond{}, err
	}
	if extra {
		if name == opNumeric || name == opAnythingBut {
			return cond{}, invalid(tooManyNumeric)
		}
		return cond{}, invalid(oneKeyOnly)
	}
	return c, nil
}

// operators compile an operator's value.
var operators = map[string]func(jvalue) (cond, *Error){
	opPrefix:       compilePrefix,
	opSuffix:       compileSuffix,
	opEqualsIgnore: compileEqualsIgnoreCase,
	opWildcard:     compileWildcard,
	opAnythingBut:  compileAnythingBut,
	opNumeric:      compileNumeric,
	opExists:       compileExists,
	opCIDR:         compileCIDR,
}

// compilePrefix: {"prefix": "s"} or {"prefix": {"equals-ignore-case": "s"}};
// strings only, and "" matches every string.
func compilePrefix(v jvalue) (cond, *Error) {
	if v.kind == jObject {
		s, err := ignoreCaseInner(v, "Prefix", opPrefix)
		if err != nil {
			return cond{}, err
		}
		return stringTest(func(x string) bool { return hasPrefixFold(x, s) }), nil
	}
	if v.kind != jString {
		return cond{}, invalid("prefix match pattern must be a string")
	}
	return stringTest(func(x string) bool { return strings.HasPrefix(x, v.text) }), nil
}

// compileSuffix mirrors compilePrefix.
func compileSuffix(v jvalue) (cond, *Error) {
	if v.kind == jObject {
		s, err := ignoreCaseInner(v, "Suffix", opSuffix)
		if err != nil {
			return cond{}, err
		}
		return stringTest(func(x string) bool { return hasSuffixFold(x, s) }), nil
	}
	if v.kind != jString {
		return cond{}, invalid("suffix match pattern must be a string")
	}
	return stringTest(func(x string) bool { return strings.HasSuffix(x, v.text) }), nil
}

// ignoreCaseInner reads the {"equals-ignore-case": "s"} inside a prefix or
// suffix operator.
func ignoreCaseInner(v jvalue, title, op string) (string, *Error) {
	if len(v.members) == 0 {
		return "", invalid("%s expression name not found", title)
	}
	m := v.members[0]
	if m.key != opEqualsIgnore {
		return "", invalid("Unsupported %s pattern: %s", op, m.key)
	}
	if m.val.kind != jString {
		return "", invalid("equals-ignore-case match pattern must be a string")
	}
	if len(v.members) > 1 {
		return "", invalid(oneKeyOnly)
	}
	return m.val.text, nil
}

func compileEqualsIgnoreCase(v jvalue) (cond, *Error) {
	if v.kind != jString {
		return cond{}, invalid("equals-ignore-case match pattern must be a string")
	}
	return stringTest(func(x string) bool { return strings.EqualFold(x, v.text) }), nil
}

func compileWildcard(v jvalue) (cond, *Error) {
	if v.kind != jString {
		return cond{}, invalid("wildcard match pattern must be a string")
	}
	w, err := parseWildcard(v.text)
	if err != nil {
		return cond{}, err
	}
	return stringTest(w.match), nil
}

// compileExists: {"exists": true|false} tests whether the field has a leaf.
func compileExists(v jvalue) (cond, *Error) {
	if v.kind != jBool {
		return cond{}, invalid("exists match pattern must be either true or false.")
	}
	if v.b {
		return cond{presence: presentCond}, nil
	}
	return cond{presence: absentCond}, nil
}

// compileCIDR: {"cidr": "10.0.0.0/24"} matches string IP addresses in the
// range, IPv4 or IPv6. (EventBridge's own reason for a non-string value
// speaks of prefix.)
func compileCIDR(v jvalue) (cond, *Error) {
	if v.kind != jString {
		return cond{}, invalid("prefix match pattern must be a string")
	}
	r, err := parseCIDR(v.text)
	if err != nil {
		return cond{}, err
	}
	return stringTest(r.contains), nil
}

// tokenText is how EventBridge quotes a value it did not expect.
func tokenText(v jvalue) string {
	switch v.kind {
	case jObject:
		return "{"
	case jArray:
		return "["
	case jBool:
		if v.b {
			return "true"
		}
		return "false"
	case jNull:
		return "null"
	}
	return v.text
}
