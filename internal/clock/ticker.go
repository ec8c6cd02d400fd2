package clock

import (
	"sync"
	"time"
)

// Ticker delivers ticks on C every period of a Clock, like time.Ticker. It
// is a chain of timers armed by deadline, so it works on any Clock: on a
// Fake each tick is a timer like any other, firing when the clock is moved
// to it (Advance, AdvanceToNext, FireNext) and showing in Next and Pending.
//
// As with time.Ticker, C holds one tick and ticks a slow receiver misses
// are dropped. A tick that runs late (a busy machine, on the Real clock)
// arms the next one at the first period boundary still ahead, so a Ticker
// does not fire in a burst to catch up; on a Fake, which runs each timer at
// its deadline, every boundary within an Advance fires.
type Ticker struct {
	// C is the channel the ticks are delivered on; each tick is the time it
	// was due.
	C <-chan time.Time

	c      chan time.Time
	clk    Clock
	period time.Duration

	mu      sync.Mutex
	timer   Timer
	stopped bool
}

// NewTicker returns a Ticker on c whose first tick is due one period from
// now. The period must be positive.
func NewTicker(c Clock, period time.Duration) *Ticker {
	if period <= 0 {
		panic("clock: non-positive period for NewTicker")
	}
	ch := make(chan time.Time, 1)
	t := &Ticker{C: ch, c: ch, clk: c, period: period}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.armLocked(c.Now().Add(period))
	return t
}

// Stop turns the ticker off: no tick is delivered after Stop returns. It
// does not close C.
func (t *Ticker) Stop() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.stopped = true
	t.timer.Stop()
}

func (t *Ticker) armLocked(at time.Time) {
	t.timer = t.clk.AfterFuncAt(at, func() { t.tick(at) })
}

// tick delivers the tick due at, unless the receiver has not taken the
// previous one, and arms the next.
func (t *Ticker) tick(at time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped {
		return
	}
	select {
	case t.c <- at:
	default:
	}
	t.armLocked(nextTick(at, t.clk.Now(), t.period))
}

// nextTick returns the first period boundary after due, counting from due,
// that is later than now.
func nextTick(due, now time.Time, period time.Duration) time.Time {
	next := due.Add(period)
	if late := now.Sub(due); late >= period {
		next = next.Add(late / period * period)
	}
	return next
}
