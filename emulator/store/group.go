package store

import (
	"sync"
)

// maxGroup bounds the batches one commit takes, and the queue of batches
// waiting for the next: a caller past it waits to enqueue.
const maxGroup = 512

// group commits the batches of concurrent callers together, with no
// goroutine of its own (docs/durability.md §2): a caller that finds no
// commit under way leads one, writing every batch queued with its own in
// one commit; callers that come meanwhile queue, and when the commit ends
// the first of them leads the next one with all the others. The caller
// alone, the common case, commits on its own goroutine: no hand-off to a
// writer and back.
type group struct {
	commit func(ops []Op) error

	mu      sync.Mutex
	queue   []*request
	leading bool // a commit is under way
	closed  bool
	room    *sync.Cond // the queue has room, or the group closed
	idle    *sync.Cond // no commit is under way
	ops     []Op       // the leader's scratch
}

type request struct {
	ops  []Op
	wake chan wakeup // one wakeup: its commit's result, or the lead
}

type wakeup struct {
	err  error
	lead bool
}

func newGroup(commit func(ops []Op) error) *group {
	g := &group{commit: commit}
	g.room = sync.NewCond(&g.mu)
	g.idle = sync.NewCond(&g.mu)
	return g
}

// apply queues ops and returns once they are committed.
func (g *group) apply(ops []Op) error {
	if len(ops) == 0 {
		return nil
	}
	r := &request{ops: ops, wake: make(chan wakeup, 1)}
	g.mu.Lock()
	for len(g.queue) >= maxGroup && !g.closed {
		g.room.Wait()
	}
	if g.closed {
		g.mu.Unlock()
		return ErrClosed
	}
	g.queue = append(g.queue, r)
	if g.leading {
		g.mu.Unlock()
		w := <-r.wake
		if !w.lead {
			return w.err
		}
		g.mu.Lock()
	}
	g.leading = true
	return g.lead(r)
}

// lead commits the queued batches, r's among them, and passes the lead
// on to the first caller queued meanwhile. g.mu is held; lead releases it.
func (g *group) lead(r *request) error {
	batch := g.queue[:min(len(g.queue), maxGroup)]
	g.queue = g.queue[len(batch):]
	g.room.Broadcast()
	g.mu.Unlock()

	g.ops = g.ops[:0]
	for _, q := range batch {
		g.ops = append(g.ops, q.ops...)
	}
	err := g.commit(g.ops)
	for _, q := range batch {
		if q != r {
			q.wake <- wakeup{err: err}
		}
	}

	g.mu.Lock()
	if len(g.queue) > 0 {
		g.queue[0].wake <- wakeup{lead: true}
	} else {
		g.leading = false
		g.idle.Broadcast()
	}
	g.mu.Unlock()
	return err
}

// stop refuses new batches and waits for the queued ones to be
// committed.
func (g *group) stop() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closed = true
	g.room.Broadcast()
	for g.leading {
		g.idle.Wait()
	}
}
