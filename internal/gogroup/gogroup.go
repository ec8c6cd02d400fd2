// Package gogroup tracks the goroutines a stepwire service starts so that
// its Close can refuse new work and wait for the work in flight.
package gogroup

import (
	"sync"
	"sync/atomic"
)

// Group is a set of goroutines that Close ends admission to and Wait waits
// for. The zero Group is ready to use; it must not be copied.
type Group struct {
	mu     sync.RWMutex // orders wg.Add in Go against Close
	closed atomic.Bool
	wg     sync.WaitGroup
	pool   pool // goroutines kept for the next Go (pool.go)
}

// Go runs f in a goroutine of the group: one that finished an earlier f
// and is waiting for more, or a new one. It reports false, not running f,
// once the group is closed. A goroutine of the group may call Go.
func (g *Group) Go(f func()) bool {
	g.mu.RLock()
	defer g.mu.RUnlock()
	if g.closed.Load() {
		return false
	}
	g.wg.Add(1)
	if !g.pool.handOff(f) {
		go g.pool.serve(f, g.wg.Done)
	}
	return true
}

// Close refuses further Go calls and lets the goroutines waiting for work
// end. It reports whether this call closed the group (false when it was
// already closed). It does not wait.
func (g *Group) Close() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed.Swap(true) {
		return false
	}
	g.pool.close()
	return true
}

// Closed reports whether Close was called.
func (g *Group) Closed() bool { return g.closed.Load() }

// Wait blocks until every function started by Go has returned. After
// Close, no function starts once Wait has begun.
func (g *Group) Wait() { g.wg.Wait() }
