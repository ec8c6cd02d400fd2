package jsonpath

import "testing"

// Workflow variables are read with $name paths in JSONPath states
// (assign.test_assign_reference_variables__test_reference_assign_*).
func TestVariablePaths(t *testing.T) {
	for _, tt := range []struct{ text, v string }{
		{"$x", "x"}, {"$var_1.a[0]", "var_1"}, {"$.a", ""}, {"$", ""}, {"$$.State", ""}, {"$items", "items"},
	} {
		p, err := Compile(tt.text)
		if err != nil || p.Var != tt.v {
			t.Errorf("Compile(%q): var %q err %v, want %q", tt.text, p.Var, err, tt.v)
		}
	}
}
