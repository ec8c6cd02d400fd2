package uuid

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

var v4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestNewIsVersion4AndFresh(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 100; i++ {
		u := New()
		if !v4.MatchString(u) || seen[u] {
			t.Fatalf("New() = %q (repeat %v)", u, seen[u])
		}
		seen[u] = true
	}
}

func TestFromIsDeterministic(t *testing.T) {
	src := bytes.Repeat([]byte{0xff}, 16)
	if got, want := From(bytes.NewReader(src)), "ffffffff-ffff-4fff-bfff-ffffffffffff"; got != want {
		t.Fatalf("From(0xff...) = %s, want %s", got, want)
	}
	if got, want := From(strings.NewReader("")), "00000000-0000-4000-8000-000000000000"; got != want {
		t.Fatalf("From(empty) = %s, want %s", got, want)
	}
}
