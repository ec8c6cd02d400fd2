package scenarios

import (
	"context"
	"crypto/tls"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stepwire/stepwire/worker"
)

// downWait bounds (wall clock) how long the end of a scenario waits for a
// worker to stop.
const downWait = 250 * time.Millisecond

// readyTimeout bounds (wall clock) how long a worker may take to connect.
const readyTimeout = 10 * time.Second

// liveWorker is a scenario's worker across its lives: each start runs a
// new stepwire worker, as a restarted process would, behind a new link.
type liveWorker struct {
	r    *runner
	spec WorkerSpec
	tls  *tls.Config

	mu      sync.Mutex
	w       *worker.Worker // nil while down
	link    *link
	stop    context.CancelFunc
	done    chan struct{}
	retired counters // what earlier lives received and published

	taken     atomic.Int64 // jobs taken, for behaviours by order
	readies   atomic.Int64 // times a life connected and subscribed
	connected atomic.Bool  // connected and subscribed, link not cut
}

func (lw *liveWorker) config(l *link) worker.Config {
	s := lw.spec
	return worker.Config{ClientID: s.Thing, Endpoint: l.addr(), TLSConfig: lw.tls,
		SubscribeTopic: s.Subscribe, SubmitTopic: s.Submit, Clock: lw.r.clk,
		DrainTimeout: s.DrainTimeout, MaxConcurrent: s.MaxConcurrent,
		// Short: a killed worker's last reports wait for a broker that is
		// gone; a healthy publish on loopback takes milliseconds.
		PublishTimeout: 2 * time.Second,
		OnReady: func() {
			lw.readies.Add(1)
			lw.connected.Store(true)
		}}
}

// start runs a new life of the worker and waits until it is subscribed.
func (lw *liveWorker) start(ctx context.Context) error {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	if lw.w != nil {
		return fmt.Errorf("worker %s is already running", lw.spec.Name)
	}
	l, err := newLink(lw.r.mqttAddr)
	if err != nil {
		return err
	}
	w, err := worker.New(lw.config(l), worker.HandlerFunc(lw.handle), lw.r.book.logger(lw.spec.Name))
	if err != nil {
		l.close()
		return fmt.Errorf("worker %s: %w", lw.spec.Name, err)
	}
	runCtx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := w.Run(runCtx); err != nil {
			lw.r.book.logger(lw.spec.Name).Warn("worker stopped", "err", err)
		}
		lw.retire(w)
	}()
	lw.w, lw.link, lw.stop, lw.done = w, l, stop, done
	select {
	case <-w.Ready():
		return nil
	case <-done:
		return fmt.Errorf("worker %s stopped before it was ready", lw.spec.Name)
	case <-time.After(readyTimeout):
		return fmt.Errorf("worker %s not ready after %v", lw.spec.Name, readyTimeout)
	case <-ctx.Done():
		return ctx.Err()
	}
}

// retire takes a life that has stopped out of the counts: what it
// received and published stays in retired.
func (lw *liveWorker) retire(w *worker.Worker) {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	if lw.w != w {
		return
	}
	lw.retired.received += w.Received()
	lw.retired.published += w.Published()
	lw.w = nil
	lw.connected.Store(false)
}

// read adds the worker's counters to c.
func (lw *liveWorker) read(c *counters) {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	c.received += lw.retired.received
	c.published += lw.retired.published
	if lw.w != nil && !lw.connected.Load() && lw.link.connections() > 0 {
		c.connecting++ // a connection is through the link, not yet subscribed
	}
	if lw.w != nil {
		c.busy += int64(lw.w.Busy())
		c.received += lw.w.Received()
		c.published += lw.w.Published()
	}
}

// sigterm starts a graceful drain; the life ends when Run returns.
func (lw *liveWorker) sigterm() error {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	if lw.w == nil {
		return fmt.Errorf("worker %s is not running", lw.spec.Name)
	}
	lw.w.Drain()
	return nil
}

// kill ends the life at once, as a lost host: its link is cut for good
// (nothing it says reaches the broker again) and its process stops. It
// does not wait for the process.
func (lw *liveWorker) kill() error {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	if lw.w == nil {
		return fmt.Errorf("worker %s is not running", lw.spec.Name)
	}
	lw.link.close()
	lw.stop()
	lw.retired.received += lw.w.Received()
	lw.retired.published += lw.w.Published()
	lw.w, lw.stop, lw.done = nil, nil, nil // not waited for at the end
	lw.connected.Store(false)
	return nil
}

// cut takes the worker off the network; restore puts it back.
func (lw *liveWorker) cut() error {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	if lw.link == nil {
		return fmt.Errorf("worker %s has never run", lw.spec.Name)
	}
	lw.connected.Store(false)
	lw.link.cut()
	return nil
}

func (lw *liveWorker) restore() error {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	if lw.link == nil {
		return fmt.Errorf("worker %s has never run", lw.spec.Name)
	}
	lw.link.restore()
	return nil
}

// down stops the current life and waits for it, at the end of a scenario.
func (lw *liveWorker) down() {
	lw.mu.Lock()
	stop, done, l := lw.stop, lw.done, lw.link
	lw.mu.Unlock()
	if stop == nil {
		return
	}
	stop()
	select {
	case <-done:
	case <-time.After(downWait): // a report to a task long gone, through a cut link
	}
	if l != nil {
		l.close()
	}
}

// behaviourFor picks the behaviour of the n-th job (from 1) of jobType.
func (lw *liveWorker) behaviourFor(n int64, jobType string) Behaviour {
	s := lw.spec
	if int(n) <= len(s.Jobs) {
		return s.Jobs[n-1]
	}
	if b, ok := s.ByType[jobType]; ok {
		return b
	}
	if s.Default != nil {
		return *s.Default
	}
	return Behaviour{Do: "run"}
}
