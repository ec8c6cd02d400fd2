// Package gctune sets the garbage collector of stepwire's processes
// (docs/performance.md, "Garbage collection"): a round trip allocates
// briefly and much (HTTP, JSON, TLS records, the AWS SDK), and with Go's
// default, a collection each time the heap doubles, collecting took about
// a third of the CPU of an execution. Collecting when it grows fivefold
// takes a quarter of that, for a heap up to five times the live one,
// bounded by a soft memory limit.
package gctune

import (
	"os"
	"runtime/debug"
)

const (
	// Percent is the GOGC stepwire runs with.
	Percent = 400
	// Limit is the soft memory limit (GOMEMLIMIT) stepwire runs with:
	// past it, the collector works harder rather than let the heap grow.
	Limit = 1 << 30
)

// Apply sets Percent and Limit, each unless the environment sets its own
// (GOGC, GOMEMLIMIT), which the Go runtime has then applied already.
func Apply() {
	if _, ok := os.LookupEnv("GOGC"); !ok {
		debug.SetGCPercent(Percent)
	}
	if _, ok := os.LookupEnv("GOMEMLIMIT"); !ok {
		debug.SetMemoryLimit(Limit)
	}
}
