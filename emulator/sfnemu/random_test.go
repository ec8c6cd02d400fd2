package sfnemu

import (
	"context"
	"math"
	mrand "math/rand/v2"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/emulator/interp"
)

func TestNewUUIDIsVersion4(t *testing.T) {
	s := New(Config{})
	re := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for i := 0; i < 100; i++ {
		u := s.newUUID()
		if !re.MatchString(u) || seen[u] {
			t.Fatalf("uuid %q (repeat %v)", u, seen[u])
		}
		seen[u] = true
	}
}

func TestRandomIntStaysInRange(t *testing.T) {
	s := New(Config{})
	hits := map[int64]bool{}
	for i := 0; i < 1000; i++ {
		n := s.randomInt(-2, 2)
		if n < -2 || n > 2 {
			t.Fatalf("randomInt(-2, 2) = %d", n)
		}
		hits[n] = true
	}
	if len(hits) != 5 {
		t.Fatalf("values seen: %v", hits)
	}
	if s.randomInt(7, 7) != 7 || s.randomInt(9, 3) != 9 {
		t.Fatal("degenerate ranges")
	}
	if n := s.randomInt(math.MinInt64, math.MaxInt64); n < math.MinInt64 || n > math.MaxInt64 {
		t.Fatal("full range")
	}
}

// Two services given the same random source run an execution that draws
// States.MathRandom and States.UUID to the same output.
func TestInjectedRandomMakesExecutionsReproducible(t *testing.T) {
	def := `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"r.$":"States.MathRandom(1, 1000000000)","u.$":"States.UUID()"},"End":true}}}`
	run := func(seed byte) string {
		var key [32]byte
		key[0] = seed
		s := New(Config{Random: mrand.NewChaCha8(key)})
		defer s.Close()
		sm, err := s.CreateStateMachine(context.Background(), CreateStateMachineInput{Name: "Draw", Definition: def, RoleArn: roleArn})
		require.NoError(t, err)
		info, err := s.startExecution(sm.StateMachineArn, nil, nil)
		require.NoError(t, err)
		info = waitSettled(t, s, info.arn)
		require.Equal(t, interp.StatusSucceeded, info.status)
		return string(info.output)
	}
	require.Equal(t, run(1), run(1))
	require.NotEqual(t, run(1), run(2))
}
