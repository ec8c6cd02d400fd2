package jsonata

import (
	"testing"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// JSONata 2.x objects are JavaScript objects: keys keep insertion order
// (docs/step-functions.md §1.7, the engine Step Functions runs). stepwire
// rebuilds it for constructors with literal keys and for objects passed
// through; keys computed at run time come out sorted.
func TestObjectKeyOrder(t *testing.T) {
	in, err := jsonv.DecodeString(`{"z":1,"a":{"y":2,"b":3},"m":[{"q":1,"c":2}]}`)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ expr, want string }{
		{`{"zeta": 1, "alpha": 2, "mid": 3}`, `{"zeta":1,"alpha":2,"mid":3}`},
		{`{"zeta": $.z, "gone": $.nothing, "alpha": 2}`, `{"zeta":1,"alpha":2}`},
		{`$`, `{"z":1,"a":{"y":2,"b":3},"m":[{"q":1,"c":2}]}`},
		{`$.a`, `{"y":2,"b":3}`},
		{`$.m`, `[{"q":1,"c":2}]`},
		{`$map([1,2], function($v){ {"second": $v, "first": $v} })`, `[{"second":1,"first":1},{"second":2,"first":2}]`},
		{`{"outer": {"y2": 1, "b2": 2}, "a0": 0}`, `{"outer":{"y2":1,"b2":2},"a0":0}`},
		{`{"k" & "2": 1, "b": 2}`, `{"b":2,"k2":1}`},
	}
	for _, tt := range tests {
		e, err := Default.Compile(tt.expr)
		if err != nil {
			t.Fatalf("%s: %v", tt.expr, err)
		}
		v, err := e.Eval(in, &Env{})
		if err != nil {
			t.Fatalf("%s: %v", tt.expr, err)
		}
		if got := jsonv.EncodeString(v); got != tt.want {
			t.Errorf("%s = %s, want %s", tt.expr, got, tt.want)
		}
	}
}
