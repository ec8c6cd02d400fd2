// Package gctune sets the garbage collector of stepwire's processes
// (docs/performance.md, "Fourth pass"). A round trip allocates briefly and
// much (HTTP, JSON, TLS records, the AWS SDK) over a small live heap, and
// with Go's default, a collection each time the heap doubles, collecting
// took about a third of an execution's CPU. stepwire lets the heap grow by
// at least Headroom between collections: on a small live heap that is a
// collection a few times rarer; on a large one (thousands of waiting
// executions) it is Go's default, so the memory a large state takes is
// what it was.
package gctune

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

const (
	// Headroom is the least the heap grows by between collections.
	Headroom = 32 << 20
	// MinPercent and MaxPercent bound the GOGC the tuner sets.
	MinPercent, MaxPercent = 100, 800
	// Limit is the soft memory limit (GOMEMLIMIT) stepwire runs with:
	// past it, the collector works harder rather than let the heap grow.
	Limit = 1 << 30
)

// Percent is the GOGC that lets a heap of live bytes grow by Headroom,
// within [MinPercent, MaxPercent].
func Percent(live uint64) int {
	if live == 0 {
		return MaxPercent
	}
	return int(min(max(100*Headroom/live, MinPercent), MaxPercent))
}

// cycles counts the collections the tuner saw: a test's view.
var cycles atomic.Uint64

// Apply starts tuning GOGC after every collection and sets Limit, each
// unless the environment sets its own (GOGC, GOMEMLIMIT), which the Go
// runtime has then applied already.
func Apply() {
	if _, ok := os.LookupEnv("GOMEMLIMIT"); !ok {
		debug.SetMemoryLimit(Limit)
	}
	if _, ok := os.LookupEnv("GOGC"); !ok {
		tune()
		arm()
	}
}

// sentinel is garbage at once: its finalizer runs after each collection.
type sentinel struct{ next *sentinel }

func arm() {
	runtime.SetFinalizer(&sentinel{}, func(*sentinel) {
		cycles.Add(1)
		tune()
		arm()
	})
}

// tune sets GOGC for the live heap the last collection left.
func tune() {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	var live uint64
	if s[0].Value.Kind() == metrics.KindUint64 {
		live = s[0].Value.Uint64()
	}
	debug.SetGCPercent(Percent(live))
}
