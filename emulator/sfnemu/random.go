package sfnemu

import (
	"crypto/rand"
	"math/big"

	"github.com/stepwire/stepwire/internal/uuid"
)

// Every random draw of an execution (States.UUID, States.MathRandom, FULL
// retry jitter, alias routing) comes from Config.Random, so a test that
// injects a deterministic reader gets reproducible executions.

// newUUID returns a random (version 4) UUID, for States.UUID.
func (s *Service) newUUID() string {
	s.randMu.Lock()
	defer s.randMu.Unlock()
	return uuid.From(s.cfg.Random)
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
