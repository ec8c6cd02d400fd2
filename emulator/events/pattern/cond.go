package pattern

import "strings"

// cond is one alternative of a field: a test of its values, or a test of
// its presence (exists).
type cond struct {
	// presence is 0 to test values, presentCond for exists:true and
	// absentCond for exists:false.
	presence int8
	test     func(value) bool
}

const (
	presentCond int8 = 1
	absentCond  int8 = -1
)

// match reports whether the field's leaf values satisfy the condition. A
// value test needs at least one leaf that passes, so an absent field
// matches no value test, anything-but included (docs/eventbridge.md §2.2).
func (c cond) match(vals []value) bool {
	switch c.presence {
	case presentCond:
		return len(vals) > 0
	case absentCond:
		return len(vals) == 0
	}
	for _, v := range vals {
		if c.test(v) {
			return true
		}
	}
	return false
}

// test is the value test f.
func test(f func(value) bool) cond { return cond{test: f} }

// exactString matches the same string, byte for byte. A pattern string
// that is an IP address also matches other spellings of that address, as
// EventBridge's matcher compares IP literals as addresses.
func exactString(s string) cond {
	ip, isIP := parseIP(s)
	return test(func(v value) bool {
		if v.kind != jString {
			return false
		}
		if v.text == s {
			return true
		}
		if !isIP {
			return false
		}
		other, ok := parseIP(v.text)
		return ok && string(other) == string(ip)
	})
}

// exactNumber matches a number of the same value (300 matches 300.0,
// docs/eventbridge.md §2.2) or the same literal.
func exactNumber(p value) cond {
	return test(func(v value) bool {
		return v.kind == jNumber && (v.text == p.text || (p.ok && v.ok && v.num == p.num))
	})
}

// stringTest matches string values that pass f.
func stringTest(f func(string) bool) cond {
	return test(func(v value) bool { return v.kind == jString && f(v.text) })
}

func hasPrefixFold(s, prefix string) bool {
	return strings.HasPrefix(strings.ToLower(s), strings.ToLower(prefix))
}

func hasSuffixFold(s, suffix string) bool {
	return strings.HasSuffix(strings.ToLower(s), strings.ToLower(suffix))
}
