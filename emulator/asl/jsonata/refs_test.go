package jsonata

import (
	"reflect"
	"testing"
)

// What an expression reads against the (absent) context item, as Step
// Functions judges it at definition time (docs/step-functions.md §1.7,
// floci#2670): only a path's first step, lambda bodies, object keys.
func TestRefs(t *testing.T) {
	tests := []struct {
		expr        string
		top, states []string
	}{
		{`phone`, []string{"phone"}, nil},
		{`$states.input.phone`, nil, []string{"input"}},
		{`$x.y`, nil, nil},
		{`$`, []string{"$"}, nil},
		{`$$`, []string{"$$"}, nil},
		{`$$.a`, []string{"$$"}, nil},
		{`$states.input.items[value > 3]`, nil, []string{"input"}},
		{`$states.input.a^(b)`, nil, []string{"input"}},
		{`$states.input.a{k: v}`, nil, []string{"input"}},
		{`$map($states.input.a, function($x){ b })`, []string{"b"}, []string{"input"}},
		{`{aaa: 1, "lit": c}`, []string{"aaa", "c"}, nil},
		{`a + b & a`, []string{"a", "b"}, nil},
		{`$states.errorOutput.Cause ~> $uppercase()`, nil, []string{"errorOutput"}},
		{`x ? $states.result : [y, -z]`, []string{"x", "y", "z"}, []string{"result"}},
		{`($v := w; $v)`, []string{"w"}, nil},
		{`"text" & 1`, nil, nil},
	}
	for _, tt := range tests {
		e, err := Default.Compile(tt.expr)
		if err != nil {
			t.Fatalf("%s: %v", tt.expr, err)
		}
		got := e.Refs()
		if !reflect.DeepEqual(got.TopLevel, tt.top) || !reflect.DeepEqual(got.States, tt.states) {
			t.Errorf("%s: refs = %+v, want top %v states %v", tt.expr, got, tt.top, tt.states)
		}
	}
}
