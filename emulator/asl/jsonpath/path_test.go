package jsonpath

import (
	"testing"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// Semantics from the conformance cases base.test_base/test_json_path_*
// (indefinite paths yield arrays, possibly empty) and test_state_pass_regex_json_path_base.
func TestGet(t *testing.T) {
	doc, _ := jsonv.DecodeString(`{"a":{"b":[10,11,12,{"c":"x"}]},"users":[{"y":1997,"s":0},{"y":1998,"s":1}],"k-1":5}`)
	tests := []struct {
		path, want string
		found      bool
	}{
		{"$", "", true},
		{"$.a.b[1]", "11", true},
		{"$.a.b[-1].c", `"x"`, true},
		{"$['a']['b'][0]", "10", true},
		{"$.k-1", "5", true},
		{"$.a.b[1:3]", "[11,12]", true},
		{"$.a.b[:1]", "[10]", true},
		{"$.users[*].y", "[1997,1998]", true},
		{"$.users[?(@.s == 0)]", `[{"y":1997,"s":0}]`, true},
		{"$.users[?(@.y > 1997)].s", `[1]`, true},
		{"$.none[*]", "[]", true},
		{"$.none", "", false},
		{"$.a.b[9]", "", false},
	}
	for _, tt := range tests {
		p, err := Compile(tt.path)
		if err != nil {
			t.Fatalf("%s: %v", tt.path, err)
		}
		v, ok := p.Get(doc)
		if ok != tt.found {
			t.Fatalf("%s: found = %v", tt.path, ok)
		}
		if ok && tt.want != "" && jsonv.EncodeString(v) != tt.want {
			t.Errorf("%s = %s, want %s", tt.path, jsonv.EncodeString(v), tt.want)
		}
	}
}

// ResultPath writes mkdir-p style into a copy (docs/step-functions.md §1.3).
func TestSet(t *testing.T) {
	doc, _ := jsonv.DecodeString(`{"a":1,"b":{"c":2}}`)
	tests := []struct{ path, want string }{
		{"$", `"v"`},
		{"$.x.y", `{"a":1,"b":{"c":2},"x":{"y":"v"}}`},
		{"$.b.c", `{"a":1,"b":{"c":"v"}}`},
	}
	for _, tt := range tests {
		out, err := MustCompile(tt.path).Set(doc, "v")
		if err != nil {
			t.Fatalf("%s: %v", tt.path, err)
		}
		if got := jsonv.EncodeString(out); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.path, got, tt.want)
		}
	}
	if got := jsonv.EncodeString(doc); got != `{"a":1,"b":{"c":2}}` {
		t.Fatalf("Set modified its input: %s", got)
	}
	if _, err := MustCompile("$.a.z").Set(doc, 1); err == nil {
		t.Fatal("writing below a number succeeded")
	}
}

func TestCompileErrors(t *testing.T) {
	for _, p := range []string{"a.b", "$..a", "$[", "$.a[x]", "$.[?(x)]"} {
		if _, err := Compile(p); err == nil {
			t.Errorf("%q compiled", p)
		}
	}
}
