package bench

import (
	"os"
	"testing"

	"github.com/stepwire/stepwire/internal/gctune"
)

// TestMain runs the benchmarks with the garbage collector's tuning of
// `stepwire up` and stepwire-worker (internal/gctune): the emulator, its
// Lambdas and the worker run in this process. GOGC=100 in the environment
// measures Go's default.
func TestMain(m *testing.M) {
	gctune.Apply()
	os.Exit(m.Run())
}
