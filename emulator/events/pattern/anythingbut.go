package pattern

import "strings"

// badAnythingBut is the reason for an anything-but value of the wrong type.
const badAnythingBut = "Value of anything-but must be an array or single string/number value."

// compileAnythingBut compiles {"anything-but": v}, where v is a string, a
// number, a list of all strings or all numbers, or an object
// {prefix|suffix|equals-ignore-case|wildcard: string or list}. The field
// matches when it has a value that is none of them: a null value matches,
// an absent field does not (docs/eventbridge.md §2.2).
func compileAnythingBut(v jvalue) (cond, *Error) {
	if v.kind == jObject {
		return anythingButObject(v)
	}
	switch v.kind {
	case jString, jNumber:
		return anythingButValues([]jvalue{v}, "Inside anything-but list, start|null|boolean is not supported.")
	case jArray:
		return anythingButValues(v.elems, "Inside anything but list, start|null|boolean is not supported.")
	}
	return cond{}, invalid(badAnythingBut)
}

// anythingButValues compiles a list that is all strings or all numbers.
func anythingButValues(el []jvalue, badElem string) (cond, *Error) {
	var strs []string
	var nums []value
	for _, e := range el {
		switch e.kind {
		case jString:
			strs = append(strs, e.text)
		case jNumber:
			nums = append(nums, number(e.text))
		default:
			return cond{}, invalid("%s", badElem)
		}
	}
	if (len(strs) > 0) == (len(nums) > 0) {
		return cond{}, invalid("Inside anything but list, either all values are number or string, mixed type is not supported")
	}
	if len(nums) > 0 {
		return test(func(v value) bool { return !numberIn(v, nums) }), nil
	}
	return test(func(v value) bool { return v.kind != jString || !contains(strs, v.text) }), nil
}

func numberIn(v value, nums []value) bool {
	if v.kind != jNumber {
		return false
	}
	for _, n := range nums {
		if n.text == v.text || (n.ok && v.ok && n.num == v.num) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// anythingButObject compiles the object forms. Values that are not strings
// always match them: a number is no string with the prefix.
func anythingButObject(v jvalue) (cond, *Error) {
	if len(v.members) == 0 {
		return cond{}, invalid("Anything-But expression name not found")
	}
	op, inner := v.members[0].key, v.members[0].val
	if _, ok := anythingButSets[op]; !ok {
		return cond{}, invalid("Unsupported anything-but pattern: %s", op)
	}
	var el []jvalue
	switch inner.kind {
	case jArray:
		el = inner.elems
	case jString, jNumber:
		el = []jvalue{inner}
	default:
		return cond{}, invalid(badAnythingBut)
	}
	hit, err := anythingButSet(op, el)
	if err != nil {
		return cond{}, err
	}
	if len(v.members) > 1 {
		return cond{}, invalid(tooManyNumeric)
	}
	return test(func(x value) bool { return x.kind != jString || !hit(x.text) }), nil
}

// anythingButSets give, per object form, the reason for a non-string
// element.
var anythingButSets = map[string]string{
	opEqualsIgnore: "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.",
	opPrefix:       "prefix/suffix match pattern must be a string",
	opSuffix:       "prefix/suffix match pattern must be a string",
	opWildcard:     "wildcard match pattern must be a string",
}

// anythingButSet compiles the strings of an object form into a test of
// whether a string is one of the excluded.
func anythingButSet(op string, el []jvalue) (func(string) bool, *Error) {
	var tests []func(string) bool
	for _, e := range el {
		if e.kind != jString {
			return nil, invalid("%s", anythingButSets[op])
		}
		t, err := setMember(op, e.text)
		if err != nil {
			return nil, err
		}
		tests = append(tests, t)
	}
	return func(s string) bool {
		for _, t := range tests {
			if t(s) {
				return true
			}
		}
		return false
	}, nil
}

func setMember(op, p string) (func(string) bool, *Error) {
	switch op {
	case opPrefix, opSuffix:
		if p == "" {
			return nil, invalid("Null prefix/suffix not allowed")
		}
		if op == opPrefix {
			return func(s string) bool { return strings.HasPrefix(s, p) }, nil
		}
		return func(s string) bool { return strings.HasSuffix(s, p) }, nil
	case opWildcard:
		w, err := parseWildcard(p)
		if err != nil {
			return nil, err
		}
		return w.match, nil
	}
	return func(s string) bool { return strings.EqualFold(s, p) }, nil
}
