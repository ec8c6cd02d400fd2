package jsonpath

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A slice stride near the int limit takes the first item and stops instead
// of overflowing into a negative index (found by FuzzPath).
func TestHugeSliceStride(t *testing.T) {
	p, err := Compile("$[1::9223372036854775807]")
	if err != nil {
		t.Fatal(err)
	}
	got, ok := p.Get([]any{"a", "b", "c"})
	if !ok || !cmp.Equal(got, []any{"b"}) {
		t.Fatalf("Get = %v, %v; want [b]", got, ok)
	}
}
