package gogroup

import (
	"sync"
	"sync/atomic"
	"time"
)

// Idle goroutines: how many a group keeps, and for how long.
const (
	maxIdle  = 64
	idleTime = time.Second
)

// pool keeps the goroutines of a group that finished their function for a
// while, so that the next Go runs on one of them instead of a new
// goroutine. A new goroutine starts on a small stack and grows it, copying
// it at each doubling, through every deep call stack it runs (an SDK
// client's middleware, an HTTP handler, the MQTT broker); a kept one has
// already grown its stack. The zero pool is ready to use.
type pool struct {
	once sync.Once
	work chan func()   // unbuffered: a send succeeds only into an idle goroutine
	stop chan struct{} // closed by close: idle goroutines end
	idle atomic.Int32
}

func (p *pool) init() {
	p.once.Do(func() {
		p.work = make(chan func())
		p.stop = make(chan struct{})
	})
}

// handOff gives f to an idle goroutine, reporting false when none is
// waiting.
func (p *pool) handOff(f func()) bool {
	p.init()
	select {
	case p.work <- f:
		return true
	default:
		return false
	}
}

// serve runs f, calling done after it, then waits for more work until the
// pool is closed, idleTime passes without work, or maxIdle goroutines are
// already waiting.
func (p *pool) serve(f func(), done func()) {
	p.init()
	var timer *time.Timer
	for {
		run(f, done)
		f = nil // keep nothing of the finished work alive while idle
		if !p.enterIdle() {
			return
		}
		if timer == nil {
			timer = time.NewTimer(idleTime)
		} else {
			timer.Reset(idleTime)
		}
		select {
		case f = <-p.work:
			p.leaveIdle()
		case <-timer.C:
			p.leaveIdle()
			return
		case <-p.stop:
			p.leaveIdle()
			timer.Stop()
			return
		}
	}
}

// run calls f, then done, also when f ends its goroutine with
// runtime.Goexit (then the goroutine ends too) or panics.
func run(f, done func()) {
	defer done()
	f()
}

func (p *pool) enterIdle() bool {
	if p.idle.Add(1) > maxIdle {
		p.idle.Add(-1)
		return false
	}
	return true
}

func (p *pool) leaveIdle() { p.idle.Add(-1) }

// close ends the idle goroutines and any that would wait later.
func (p *pool) close() {
	p.init()
	close(p.stop)
}
