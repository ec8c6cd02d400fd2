package hop

import "testing"

func TestTokenRef(t *testing.T) {
	a, b := TokenRef("token-a"), TokenRef("token-b")
	if len(a) != 12 || a == b || a != TokenRef("token-a") {
		t.Fatalf("TokenRef = %q, %q: want 12 stable hex digits, distinct per token", a, b)
	}
}
