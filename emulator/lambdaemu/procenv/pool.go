package procenv

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/stepwire/stepwire/emulator/lambdaemu/fnlog"
	"github.com/stepwire/stepwire/internal/uuid"
)

// Pool runs one function's invocations in its execution environments.
type Pool struct {
	spec Spec

	mu     sync.Mutex
	idle   []*env // warm, most recently used last
	live   map[*env]struct{}
	count  int // environments live or starting
	closed bool
	// freed is closed, and replaced, each time an environment comes back
	// idle or goes away: invocations waiting for one try again.
	freed chan struct{}

	stop chan struct{}
	bg   sync.WaitGroup
}

// New returns a Pool with no environment; the first Invoke starts one.
func New(spec Spec) *Pool {
	p := &Pool{spec: spec.withDefaults(), live: map[*env]struct{}{}, stop: make(chan struct{}), freed: make(chan struct{})}
	p.bg.Add(1)
	go p.reap()
	return p
}

// Environments is the number of environments live or starting.
func (p *Pool) Environments() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.count
}

// Invoke runs one invocation: on a warm environment when one is idle,
// else on a new one. Past the reserved concurrency it is throttled
// (ErrTooManyRequests); past MaxEnvironments it waits for an environment,
// until ctx ends.
// A function or runtime failure is a Result with FunctionError, not a Go
// error. If ctx ends first Invoke returns its error, and the invocation
// runs on to its end or its timeout, as on Lambda.
func (p *Pool) Invoke(ctx context.Context, payload []byte) (Result, error) {
	e, cold, err := p.acquire(ctx)
	if err != nil {
		return Result{}, fmt.Errorf("invoke %s: %w", p.spec.Name, err)
	}
	id := uuid.New()
	inv := &invocation{id: id, payload: payload, delivered: make(chan struct{}), done: make(chan outcome, 1),
		log: p.spec.Log.Start(p.spec.Name, id, p.spec.Version, false)}
	if e == nil { // the process did not start
		return p.finish(nil, inv, outcome{body: invalidEntrypoint(id, cold), fnErr: true}, "error"), nil
	}
	res := make(chan Result, 1)
	if !p.track(func() { res <- p.run(e, inv) }) {
		return p.run(e, inv), nil // closing: Close kills e, so this is quick
	}
	select {
	case r := <-res:
		return r, nil
	case <-ctx.Done():
		return Result{}, fmt.Errorf("invoke %s: %w", p.spec.Name, ctx.Err())
	}
}

// track runs f on a goroutine Close waits for, unless the pool is closed.
func (p *Pool) track(f func()) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.bg.Add(1)
	go func() {
		defer p.bg.Done()
		f()
	}()
	return true
}

// acquire takes an idle environment or starts one, waiting while
// MaxEnvironments are busy. A process that fails to start comes back as
// (nil, startErr, nil).
func (p *Pool) acquire(ctx context.Context) (e *env, startErr error, err error) {
	for {
		e, wait, err := p.take()
		if e != nil || err != nil {
			return e, nil, err
		}
		if wait == nil {
			break // a slot for a new environment is counted
		}
		select {
		case <-wait:
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
	}
	return p.start()
}

// take returns an idle environment; or counts a new one (all nil); or the
// channel to wait on while the pool is full; or why the invocation cannot
// run.
func (p *Pool) take() (e *env, wait <-chan struct{}, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.idle) > 0 {
		e = p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		if !e.dead() {
			return e, nil, nil
		}
		p.dropLocked(e)
	}
	switch {
	case p.closed:
		return nil, nil, ErrClosed
	case p.spec.Reserved != nil && p.count >= *p.spec.Reserved:
		return nil, nil, ErrTooManyRequests
	case p.count >= p.spec.MaxEnvironments:
		return nil, p.freed, nil
	}
	p.count++
	return nil, nil, nil
}

// start starts the environment take counted.
func (p *Pool) start() (e *env, startErr error, err error) {
	e, err = startEnv(&p.spec)
	p.mu.Lock()
	defer p.mu.Unlock()
	if err != nil {
		p.count--
		p.signalLocked()
		return nil, err, nil
	}
	if p.closed {
		p.count--
		go e.kill()
		return nil, nil, ErrClosed
	}
	p.live[e] = struct{}{}
	p.bg.Add(1)
	go p.forgetOnExit(e)
	return e, nil, nil
}

// forgetOnExit drops e once its process ends, whether it ended during an
// invocation or between two (aws-lambda-go exits after reporting a
// panic): the pool stops counting it and the next invocation starts a
// fresh environment.
func (p *Pool) forgetOnExit(e *env) {
	defer p.bg.Done()
	<-e.exited
	p.mu.Lock()
	for i, idle := range p.idle {
		if idle == e {
			p.idle = append(p.idle[:i], p.idle[i+1:]...)
			break
		}
	}
	p.dropLocked(e)
	p.mu.Unlock()
	_ = e.srv.Close()
}

// run hands inv to e and waits for its outcome, the process's end or the
// timeout; a failed environment is killed and dropped, a healthy one goes
// back to the idle list.
func (p *Pool) run(e *env, inv *invocation) Result {
	initLimit := time.NewTimer(p.spec.InitTimeout + p.spec.Timeout)
	defer initLimit.Stop()
	select {
	case e.work <- inv:
	case <-e.exited:
		e.mu.Lock()
		initErr := e.initErr
		e.mu.Unlock()
		if initErr != nil {
			return p.finish(e, inv, outcome{body: initErr, fnErr: true}, "error")
		}
		return p.finish(e, inv, outcome{body: exited(inv.id, e.exitError()), fnErr: true}, "error")
	case <-initLimit.C:
		return p.timeout(e, inv)
	}
	<-inv.delivered
	limit := time.NewTimer(time.Until(inv.deadline))
	defer limit.Stop()
	select {
	case o := <-inv.done:
		return p.finish(e, inv, o, "")
	case <-e.exited:
		select { // the answer may have raced the exit
		case o := <-inv.done:
			return p.finish(e, inv, o, "")
		default:
		}
		return p.finish(e, inv, outcome{body: exited(inv.id, e.exitError()), fnErr: true}, "error")
	case <-limit.C:
		return p.timeout(e, inv)
	}
}

// timeout fails inv with Lambda's timeout error and kills e.
func (p *Pool) timeout(e *env, inv *invocation) Result {
	inv.log.Line(time.Now().UTC().Format("2006-01-02T15:04:05.000Z") + " " + inv.id + " " + timeoutText(p.spec.Timeout))
	return p.finish(e, inv, outcome{body: timedOut(inv.id, p.spec.Timeout), fnErr: true}, "timeout")
}

// finish writes END and REPORT and releases e: back to the idle list, or
// killed when status says the environment failed.
func (p *Pool) finish(e *env, inv *invocation, o outcome, status string) Result {
	rep := fnlog.Report{MemoryMB: p.spec.MemoryMB, Status: status}
	if e != nil {
		rep.MaxMemoryMB = e.maxMemoryMB()
		e.mu.Lock()
		if e.lastUsed.IsZero() {
			rep.InitDuration = e.initDur
		}
		e.lastUsed = time.Now()
		e.cur = nil
		e.mu.Unlock()
	}
	tail := inv.log.Finish(rep)
	if e != nil {
		p.release(e, status != "")
	}
	return Result{Payload: o.body, FunctionError: o.fnErr, LogTail: tail}
}

func (p *Pool) release(e *env, failed bool) {
	if failed || e.dead() {
		e.kill()
		p.mu.Lock()
		p.dropLocked(e)
		p.mu.Unlock()
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		p.dropLocked(e)
		go e.kill()
		return
	}
	p.idle = append(p.idle, e)
	p.signalLocked()
}

// dropLocked forgets e; p.mu is held.
func (p *Pool) dropLocked(e *env) {
	if _, ok := p.live[e]; ok {
		delete(p.live, e)
		p.count--
		p.signalLocked()
	}
}

// signalLocked wakes the invocations waiting for an environment; p.mu is
// held.
func (p *Pool) signalLocked() {
	close(p.freed)
	p.freed = make(chan struct{})
}

// reap kills environments idle for longer than IdleTimeout.
func (p *Pool) reap() {
	defer p.bg.Done()
	every := max(p.spec.IdleTimeout/4, 10*time.Millisecond)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
		}
		for _, e := range p.expired() {
			e.kill()
		}
	}
}

func (p *Pool) expired() []*env {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []*env
	keep := p.idle[:0]
	for _, e := range p.idle {
		e.mu.Lock()
		old := time.Since(e.lastUsed) > p.spec.IdleTimeout
		e.mu.Unlock()
		if old || e.dead() {
			out = append(out, e)
			p.dropLocked(e)
			continue
		}
		keep = append(keep, e)
	}
	p.idle = keep
	return out
}

// Close kills every environment's process group and waits for the pool's
// goroutines; invocations in flight end with Runtime.ExitError.
func (p *Pool) Close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	p.signalLocked() // waiting invocations see the pool closed
	all := make([]*env, 0, len(p.live))
	for e := range p.live {
		all = append(all, e)
	}
	p.idle = nil
	p.mu.Unlock()
	close(p.stop)
	for _, e := range all {
		e.kill()
	}
	p.bg.Wait()
}
