package store

import (
	"sync"
)

// maxGroup bounds the batches one commit takes, and the queue of batches
// waiting for the next: a caller past it waits to enqueue.
const maxGroup = 512

// group commits the batches of concurrent callers together: one writer
// goroutine takes every batch queued while the previous commit ran and
// writes them in one transaction, one fsync (docs/durability.md §2).
type group struct {
	reqs   chan *request
	commit func(ops []Op) error
	done   chan struct{}

	mu     sync.RWMutex // held for reading while enqueueing; for writing by stop
	closed bool
}

type request struct {
	ops []Op
	err chan error
}

func newGroup(commit func(ops []Op) error) *group {
	g := &group{reqs: make(chan *request, maxGroup), commit: commit, done: make(chan struct{})}
	go g.run()
	return g
}

// apply queues ops and waits for their commit.
func (g *group) apply(ops []Op) error {
	if len(ops) == 0 {
		return nil
	}
	r := &request{ops: ops, err: make(chan error, 1)}
	g.mu.RLock()
	if g.closed {
		g.mu.RUnlock()
		return ErrClosed
	}
	g.reqs <- r
	g.mu.RUnlock()
	return <-r.err
}

func (g *group) run() {
	defer close(g.done)
	batch := make([]*request, 0, maxGroup)
	var ops []Op
	for r := range g.reqs {
		batch = append(batch[:0], r)
	fill:
		for len(batch) < maxGroup {
			select {
			case r, ok := <-g.reqs:
				if !ok {
					break fill
				}
				batch = append(batch, r)
			default:
				break fill
			}
		}
		ops = ops[:0]
		for _, r := range batch {
			ops = append(ops, r.ops...)
		}
		err := g.commit(ops)
		for _, r := range batch {
			r.err <- err
		}
	}
}

// stop refuses new batches, commits the queued ones and waits for the
// writer to end.
func (g *group) stop() {
	g.mu.Lock()
	if !g.closed {
		g.closed = true
		close(g.reqs)
	}
	g.mu.Unlock()
	<-g.done
}
