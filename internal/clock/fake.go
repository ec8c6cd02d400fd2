package clock

import (
	"sort"
	"sync"
	"time"
)

// Fake is a manually driven clock. Time moves only when Advance or
// AdvanceToNext is called; timers whose deadline is reached then fire, in
// deadline order, each in its own goroutine (as with a real clock).
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
	c.seq++
	t := &fakeTimer{c: c, at: c.now.Add(d), seq: c.seq, f: f}
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
	t.done = true
	t.c.removeLocked(t)
	return true
}

func (c *Fake) removeLocked(t *fakeTimer) {
	for i, x := range c.timers {
		if x == t {
			c.timers = append(c.timers[:i], c.timers[i+1:]...)
			return
		}
	}
}

// Advance moves the fake time forward by d and fires every timer due by then.
func (c *Fake) Advance(d time.Duration) {
	c.mu.Lock()
	target := c.now.Add(d)
	due := c.dueLocked(target)
	c.now = target
	c.mu.Unlock()
	for _, t := range due {
		go t.f()
	}
}

// AdvanceToNext moves the fake time to the earliest armed timer and fires it
// (and any other timer due at the same instant). It reports false, leaving
// time unchanged, when no timer is armed.
func (c *Fake) AdvanceToNext() bool {
	c.mu.Lock()
	next, ok := c.nextLocked()
	c.mu.Unlock()
	if !ok {
		return false
	}
	c.mu.Lock()
	d := next.Sub(c.now)
	c.mu.Unlock()
	c.Advance(d)
	return true
}

// Next returns the deadline of the earliest armed timer.
func (c *Fake) Next() (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nextLocked()
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

func (c *Fake) nextLocked() (time.Time, bool) {
	if len(c.timers) == 0 {
		return time.Time{}, false
	}
	min := c.timers[0].at
	for _, t := range c.timers[1:] {
		if t.at.Before(min) {
			min = t.at
		}
	}
	return min, true
}

func (c *Fake) dueLocked(target time.Time) []*fakeTimer {
	var due, rest []*fakeTimer
	for _, t := range c.timers {
		if !t.at.After(target) {
			t.done = true
			due = append(due, t)
		} else {
			rest = append(rest, t)
		}
	}
	c.timers = rest
	sort.Slice(due, func(i, j int) bool {
		if due[i].at.Equal(due[j].at) {
			return due[i].seq < due[j].seq
		}
		return due[i].at.Before(due[j].at)
	})
	return due
}
