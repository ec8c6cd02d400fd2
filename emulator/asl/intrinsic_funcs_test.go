package asl

import (
	"testing"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// evalCallText evaluates an intrinsic call against a JSON input.
func evalCallText(t *testing.T, call, input string) (any, error) {
	t.Helper()
	c, err := parseCall(call)
	if err != nil {
		t.Fatal(err)
	}
	in, err := jsonv.DecodeString(input)
	if err != nil {
		t.Fatal(err)
	}
	return c.Eval(&Env{Input: in})
}

// docs/step-functions.md §1.5: ArrayUnique keeps the first of equal items
// in order (deep equality, numbers by value); JsonMerge is shallow, the
// second object's values winning, its new keys after the first's.
func TestIntrinsicsKeepOrderAndEquality(t *testing.T) {
	tests := []struct{ call, input, want string }{
		{"States.ArrayUnique($.a)", `{"a":[1,2,1.0,"1",2,{"x":1,"y":[2]},{"y":[2.0],"x":1},null,null,[1],[1]]}`,
			`[1,2,"1",{"x":1,"y":[2]},null,[1]]`},
		{"States.ArrayUnique($.a)", `{"a":[]}`, `[]`},
		{"States.JsonMerge($.a, $.b, false)", `{"a":{"k":1,"m":{"x":1},"z":0},"b":{"m":{"y":2},"n":3,"k":4}}`,
			`{"k":4,"m":{"y":2},"z":0,"n":3}`},
	}
	for _, tt := range tests {
		got, err := evalCallText(t, tt.call, tt.input)
		if err != nil {
			t.Fatalf("%s: %v", tt.call, err)
		}
		if s := jsonv.EncodeString(got); s != tt.want {
			t.Errorf("%s on %s = %s, want %s", tt.call, tt.input, s, tt.want)
		}
	}
}
