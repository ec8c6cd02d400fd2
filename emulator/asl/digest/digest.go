// Package digest computes the hashes Step Functions offers, for the
// States.Hash intrinsic (JSONPath) and the $hash function (JSONata)
// alike (docs/step-functions.md §1.5, §1.7).
package digest

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"hash"
)

// Hex returns the hexadecimal digest of data with the algorithm named
// exactly as Step Functions spells it (MD5, SHA-1, SHA-256, SHA-384,
// SHA-512), and false for any other name.
func Hex(alg, data string) (string, bool) {
	var h hash.Hash
	switch alg {
	case "MD5":
		h = md5.New()
	case "SHA-1":
		h = sha1.New()
	case "SHA-256":
		h = sha256.New()
	case "SHA-384":
		h = sha512.New384()
	case "SHA-512":
		h = sha512.New()
	default:
		return "", false
	}
	h.Write([]byte(data))
	return hex.EncodeToString(h.Sum(nil)), true
}
