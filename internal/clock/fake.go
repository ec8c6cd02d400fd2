package clock

import (
	"sync"
	"time"
)

// Fake is a manually driven clock. Time moves only when Advance,
// AdvanceToNext, FireNext or Set is called. Due timers fire one after
// another, in deadline order (then in the order they were armed), in the
// goroutine that moves the clock and without the clock's lock held: when
// Advance returns, every timer due by then has run, including timers that
// the callbacks armed within the span. While a timer runs, Now reads its
// deadline.
type Fake struct {
	mu     sync.Mutex
	now    time.Time
	seq    int
	timers []*fakeTimer
	armed  chan struct{} // closed and replaced whenever a timer is armed
}

type fakeTimer struct {
	c    *Fake
	at   time.Time
	seq  int
	f    func()
	done bool
}

// NewFake returns a Fake clock set to start.
func NewFake(start time.Time) *Fake {
	return &Fake{now: start, armed: make(chan struct{})}
}

// Now returns the fake time.
func (c *Fake) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// AfterFunc arms a timer that fires when the fake time reaches now+d.
func (c *Fake) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.armLocked(c.now.Add(d), f)
}

// AfterFuncAt arms a timer that fires when the fake time reaches at. A
// deadline already reached fires the next time the clock is moved.
func (c *Fake) AfterFuncAt(at time.Time, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.armLocked(at, f)
}

func (c *Fake) armLocked(at time.Time, f func()) *fakeTimer {
	c.seq++
	t := &fakeTimer{c: c, at: at, seq: c.seq, f: f}
	c.timers = append(c.timers, t)
	close(c.armed)
	c.armed = make(chan struct{})
	return t
}

// Stop disarms the timer.
func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	if t.done {
		return false
	}
	t.c.removeLocked(t)
	return true
}

func (c *Fake) removeLocked(t *fakeTimer) {
	t.done = true
	for i, x := range c.timers {
		if x == t {
			c.timers = append(c.timers[:i], c.timers[i+1:]...)
			return
		}
	}
}

// Advance moves the fake time forward by d and fires every timer due by
// then.
func (c *Fake) Advance(d time.Duration) {
	c.mu.Lock()
	target := c.now.Add(d)
	c.mu.Unlock()
	c.AdvanceTo(target)
}

// AdvanceTo moves the fake time forward to target and fires every timer due
// by then. It never moves time backwards.
func (c *Fake) AdvanceTo(target time.Time) {
	for c.fireDue(target) {
	}
	c.Set(target)
}

// AdvanceToNext moves the fake time to the earliest armed timer and fires
// it, and every other timer due at the same instant. Reading the deadline
// and moving the time happen under one lock, so a concurrent Advance cannot
// make it overshoot or move time backwards; a timer already past due fires
// at the current time. It reports false, leaving time unchanged, when no
// timer is armed.
func (c *Fake) AdvanceToNext() bool {
	c.mu.Lock()
	t := c.earliestLocked()
	if t == nil {
		c.mu.Unlock()
		return false
	}
	if t.at.After(c.now) {
		c.now = t.at
	}
	target := c.now
	c.mu.Unlock()
	for c.fireDue(target) {
	}
	return true
}

// FireNext moves the time to the earliest armed timer, if later than now,
// and runs that one timer before returning. It reports false when no timer
// is armed.
func (c *Fake) FireNext() bool {
	c.mu.Lock()
	t := c.earliestLocked()
	if t == nil {
		c.mu.Unlock()
		return false
	}
	c.fireLocked(t)
	return true
}

// Set moves the fake time forward to at without firing anything; timers
// due by then fire the next time the clock is moved. It never moves time
// backwards.
func (c *Fake) Set(at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if at.After(c.now) {
		c.now = at
	}
}

// fireDue fires the earliest timer if it is due by target and reports
// whether it did.
func (c *Fake) fireDue(target time.Time) bool {
	c.mu.Lock()
	t := c.earliestLocked()
	if t == nil || t.at.After(target) {
		c.mu.Unlock()
		return false
	}
	c.fireLocked(t)
	return true
}

// fireLocked disarms t, moves the time to its deadline if later, unlocks
// and runs t.
func (c *Fake) fireLocked(t *fakeTimer) {
	c.removeLocked(t)
	if t.at.After(c.now) {
		c.now = t.at
	}
	c.mu.Unlock()
	t.f()
}

// Next returns the deadline of the earliest armed timer.
func (c *Fake) Next() (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t := c.earliestLocked(); t != nil {
		return t.at, true
	}
	return time.Time{}, false
}

// Pending returns the number of armed timers.
func (c *Fake) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// Armed returns a channel that is closed the next time a timer is armed.
// Tests use it to wait for the system under test to reach a timer without
// sleeping.
func (c *Fake) Armed() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.armed
}

// earliestLocked returns the timer to fire next: the earliest deadline,
// then the first armed.
func (c *Fake) earliestLocked() *fakeTimer {
	var best *fakeTimer
	for _, t := range c.timers {
		if best == nil || t.at.Before(best.at) || (t.at.Equal(best.at) && t.seq < best.seq) {
			best = t
		}
	}
	return best
}
