package template

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// Aliases expand, but a template cannot refer to itself through one or
// expand to more nodes than the budget: both are errors, not a crash or an
// exponential decode.
func TestDecodeAliases(t *testing.T) {
	laughs := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for _, name := range []string{"b", "c", "d", "e", "f", "g", "h"} {
		laughs += name + ": &" + name + " [" + strings.Repeat("*"+prev+", ", 9) + "*" + prev + "]\n"
		prev = name
	}
	tests := []struct {
		name, doc, wantErr string
	}{
		{"alias expands", "a: &x {k: v}\nb: *x\n", ""},
		{"self-referencing sequence", "a: &x [*x]\n", "refers to a node that contains it"},
		{"self-referencing map", "a: &x {b: *x}\n", "refers to a node that contains it"},
		{"alias fan-out", laughs, "more than 1000000 yaml nodes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var root yaml.Node
			if err := yaml.Unmarshal([]byte(tt.doc), &root); err != nil {
				t.Fatal(err)
			}
			_, err := decode(root.Content[0])
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("decode: %v, want %q", err, tt.wantErr)
			}
		})
	}
}
