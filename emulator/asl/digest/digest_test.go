package digest

import "testing"

// States.Hash and $hash: hex digests with the five algorithms Step
// Functions names (docs/step-functions.md §1.5); other names are refused.
func TestHex(t *testing.T) {
	for _, tc := range []struct{ alg, want string }{
		{"MD5", "0cc175b9c0f1b6a831c399e269772661"},
		{"SHA-1", "86f7e437faa5a7fce15d1ddcb9eaeaea377667b8"},
		{"SHA-256", "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"},
		{"SHA-384", "54a59b9f22b0b80880d8427e548b7c23abd873486e1f035dce9cd697e85175033caa88e6d57bc35efae0b5afd3145f31"},
		{"SHA-512", "1f40fc92da241694750979ee6cf582f2d5d7d28e18335de05abc54d0560e0f5302860c652bf08d560252aa5e74210546f369fbbbce8c12cfc7957b2652fe9a75"},
	} {
		if got, ok := Hex(tc.alg, "a"); !ok || got != tc.want {
			t.Errorf("Hex(%s, a) = %s, %v", tc.alg, got, ok)
		}
	}
	if _, ok := Hex("sha-256", "a"); ok {
		t.Error("lower-case name accepted")
	}
}
