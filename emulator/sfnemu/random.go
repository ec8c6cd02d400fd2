package sfnemu

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"math/big"
)

// Every random draw of an execution (States.UUID, States.MathRandom, FULL
// retry jitter, alias routing) comes from Config.Random, so a test that
// injects a deterministic reader gets reproducible executions.

// newUUID returns a random (version 4) UUID, for States.UUID.
func (s *Service) newUUID() string {
	var b [16]byte
	s.randMu.Lock()
	_, _ = io.ReadFull(s.cfg.Random, b[:])
	s.randMu.Unlock()
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// randomInt returns a uniform integer in [lo, hi], for States.MathRandom
// and FULL retry jitter; lo when the source fails.
func (s *Service) randomInt(lo, hi int64) int64 {
	if hi <= lo {
		return lo
	}
	span := new(big.Int).Sub(big.NewInt(hi), big.NewInt(lo))
	span.Add(span, big.NewInt(1))
	s.randMu.Lock()
	n, err := rand.Int(s.cfg.Random, span)
	s.randMu.Unlock()
	if err != nil {
		return lo
	}
	return n.Add(n, big.NewInt(lo)).Int64()
}
