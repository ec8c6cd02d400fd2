package pattern

import "testing"

// The reasons are EventBridge's (docs/eventbridge.md §2.3), as it puts them
// after "Event pattern is not valid. Reason: ".
var invalidCases = []struct {
	pattern, reason string
}{
	{`"x"`, `Filter is not an object`},
	{`[1]`, `Filter is not an object`},
	{`{}`, `Empty objects are not allowed`},
	{`{"int":42}`, `"int" must be an object or an array`},
	{`{"a":[]}`, `Empty arrays are not allowed`},
	{`{"a":[[1]]}`, `Match value must be String, number, true, false, or null`},
	{`{"a":[{}]}`, `Match expression name not found`},
	{`{"a":[{"EXISTS":true}]}`, `Unrecognized match type EXISTS`},
	{`{"a":[{"exists":"yes"}]}`, `exists match pattern must be either true or false.`},
	{`{"a":[{"exists":true,"prefix":"x"}]}`, `Only one key allowed in match expression`},
	{`{"a":[{"prefix":1}]}`, `prefix match pattern must be a string`},
	{`{"a":[{"prefix":{"x":"y"}}]}`, `Unsupported prefix pattern: x`},
	{`{"a":[{"prefix":{"equals-ignore-case":1}}]}`, `equals-ignore-case match pattern must be a string`},
	{`{"a":[{"suffix":null}]}`, `suffix match pattern must be a string`},
	{`{"a":[{"equals-ignore-case":[]}]}`, `equals-ignore-case match pattern must be a string`},
	{`{"a":[{"wildcard":2}]}`, `wildcard match pattern must be a string`},
	{`{"a":[{"wildcard":"arn:aws:events:us-east-1:**"}]}`, `Consecutive wildcard characters at pos 26`},
	{`{"a":[{"wildcard":"a\\b"}]}`, `Invalid escape character at pos 2`},
	{`{"a":[{"numeric":5}]}`, `Value of numeric must be an array.`},
	{`{"a":[{"numeric":["<","x"]}]}`, `Value of < must be numeric`},
	{`{"a":[{"numeric":["=","x"]}]}`, `Value of equals must be numeric`},
	{`{"a":[{"numeric":[">",0,">",5]}]}`, `Bad numeric range operator: >`},
	{`{"a":[{"numeric":["!",0]}]}`, `Unrecognized numeric range operator: !`},
	{`{"a":[{"numeric":[1]}]}`, `Invalid member in numeric match: 1`},
	{`{"a":[{"numeric":["<",5,">",1]}]}`, `Too many elements in numeric expression`},
	{`{"a":[{"numeric":[">",0,"<",5,6]}]}`, `Too many terms in numeric range expression`},
	{`{"a":[{"anything-but":null}]}`, `Value of anything-but must be an array or single string/number value.`},
	{`{"a":[{"anything-but":[null]}]}`, `Inside anything but list, start|null|boolean is not supported.`},
	{`{"a":[{"anything-but":["a",1]}]}`, `Inside anything but list, either all values are number or string, mixed type is not supported`},
	{`{"a":[{"anything-but":{"prefix":""}}]}`, `Null prefix/suffix not allowed`},
	{`{"a":[{"anything-but":{"suffix":[1]}}]}`, `prefix/suffix match pattern must be a string`},
	{`{"a":[{"anything-but":{"equals-ignore-case":5}}]}`, `Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.`},
	{`{"a":[{"anything-but":{"numeric":[">",1]}}]}`, `Unsupported anything-but pattern: numeric`},
	{`{"a":[{"cidr":"10.0.0.0"}]}`, `Malformed CIDR, one '/' required`},
	{`{"a":[{"cidr":"xx.11.xx/24"}]}`, `Nonstandard IP address: xx.11.xx`},
	{`{"a":[{"cidr":"10.0.0.256/24"}]}`, `Invalid IP address: 10.0.0.256`},
	{`{"a":[{"cidr":"10.0.0.0/32"}]}`, `IPv4 mask bits must be < 32`},
	{`{"a":[{"cidr":5}]}`, `prefix match pattern must be a string`},
	{`{"$or":{"a":["b"]}}`, `It must be an Array followed with $or.`},
	{`{"$or":[{"a":["b"]}]}`, `There must have at least 2 Objects in $or relationship.`},
	{`{"$or":[{"a":["b"]},"c"]}`, `Only JSON object is allowed in array of $or relationship.`},
	{`{"$or":[{"numeric":["b"]},{"a":["c"]}]}`, `numeric is Ruler reserved fieldName which cannot be used inside $or.`},
}

func TestParseRefuses(t *testing.T) {
	for _, c := range invalidCases {
		_, err := Parse(c.pattern)
		reason, ok := IsInvalid(err)
		if !ok {
			t.Errorf("Parse(%s) = %v, want reason %q", c.pattern, err, c.reason)
			continue
		}
		if reason != c.reason {
			t.Errorf("Parse(%s) reason\n got %q\nwant %q", c.pattern, reason, c.reason)
		}
	}
}

func TestParseRefusesMalformedJSON(t *testing.T) {
	for _, src := range []string{``, `{`, `{"a":[1]} x`} {
		if _, ok := IsInvalid(func() error { _, err := Parse(src); return err }()); !ok {
			t.Errorf("Parse(%q): want an invalid-pattern error", src)
		}
	}
}

// docs/eventbridge.md §2.2: $or may expand to at most 1000 combinations.
func TestParseRefusesTooManyCombinations(t *testing.T) {
	alt := `{"$or":[{"a":["1"]},{"b":["1"]},{"c":["1"]},{"d":["1"]},{"e":["1"]},{"f":["1"]},{"g":["1"]},{"h":["1"]},{"i":["1"]},{"j":["1"]},{"k":["1"]}]}`
	src := `{"x":` + alt + `,"y":` + alt + `,"z":` + alt + `}`
	if _, ok := IsInvalid(func() error { _, err := Parse(src); return err }()); !ok {
		t.Error("11*11*11 combinations accepted")
	}
	if _, err := Parse(`{"x":` + alt + `,"y":` + alt + `}`); err != nil {
		t.Errorf("121 combinations refused: %v", err)
	}
}
