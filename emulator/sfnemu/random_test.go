package sfnemu

import (
	"regexp"
	"testing"
)

func TestNewUUIDIsVersion4(t *testing.T) {
	re := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for i := 0; i < 100; i++ {
		u := newUUID()
		if !re.MatchString(u) || seen[u] {
			t.Fatalf("uuid %q (repeat %v)", u, seen[u])
		}
		seen[u] = true
	}
}

func TestRandomIntStaysInRange(t *testing.T) {
	hits := map[int64]bool{}
	for i := 0; i < 1000; i++ {
		n := randomInt(-2, 2)
		if n < -2 || n > 2 {
			t.Fatalf("randomInt(-2, 2) = %d", n)
		}
		hits[n] = true
	}
	if len(hits) != 5 {
		t.Fatalf("values seen: %v", hits)
	}
	if randomInt(7, 7) != 7 || randomInt(9, 3) != 9 {
		t.Fatal("degenerate ranges")
	}
}
