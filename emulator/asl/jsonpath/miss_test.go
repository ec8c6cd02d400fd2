package jsonpath

import (
	"testing"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// Miss words a failed read the way AWS's States.Runtime causes do
// (docs/step-functions.md §1.3). The first two rows are recorded on AWS:
// testdata/conformance/sfn/cases/scenarios.test_base_scenarios__
// test_invalid_jsonpath_ST.INVALID_JSONPATH_IN_INPUTPATH.json, and
// LocalStack's test_base_scenarios.py::test_catch_states_runtime (OutputPath
// "$.no.such.result.path" on input {}). The others follow the same rules.
func TestMissWording(t *testing.T) {
	tests := []struct{ path, doc, want string }{
		{"$.NoSuchInputPath", `{}`, "No results for path: $['NoSuchInputPath']"},
		{"$.no.such.result.path", `{}`, "Missing property in path $['no']"},
		{"$.a.b.c", `{"a":{}}`, "Missing property in path $['a']['b']"},
		{"$.a.b", `{"a":{"x":1}}`, "No results for path: $['a']['b']"},
		{"$.a[5]", `{"a":[1,2]}`, "No results for path: $['a'][5]"},
		{"$.a[5].b", `{"a":[1,2]}`, "No results for path: $['a'][5]['b']"},
		{"$.a[0].b.c", `{"a":[{}]}`, "Missing property in path $['a'][0]['b']"},
		{"$['x y'].z", `{}`, "Missing property in path $['x y']"},
		{"$.a.b", `{"a":"s"}`, "No results for path: $['a']['b']"},
		{"$.a[0]", `{"a":{}}`, "No results for path: $['a'][0]"},
	}
	for _, tt := range tests {
		doc, err := jsonv.DecodeString(tt.doc)
		if err != nil {
			t.Fatal(err)
		}
		p := MustCompile(tt.path)
		if _, ok := p.Get(doc); ok {
			t.Fatalf("%s finds something in %s", tt.path, tt.doc)
		}
		if got := p.Miss(doc); got != tt.want {
			t.Errorf("%s in %s: %q, want %q", tt.path, tt.doc, got, tt.want)
		}
	}
}
