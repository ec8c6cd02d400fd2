package sfnemu

import (
	"crypto/rand"
	"encoding/hex"
	"math/big"
)

// newUUID returns a random (version 4) UUID, for States.UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// randomInt returns a uniform integer in [lo, hi], for States.MathRandom
// and FULL retry jitter.
func randomInt(lo, hi int64) int64 {
	if hi <= lo {
		return lo
	}
	n, err := rand.Int(rand.Reader, big.NewInt(hi-lo+1))
	if err != nil {
		return lo
	}
	return lo + n.Int64()
}
