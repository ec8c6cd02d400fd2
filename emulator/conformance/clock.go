package conformance

import (
	"sync"
	"time"

	"github.com/stepwire/stepwire/internal/clock"
)

// vclock is a virtual clock that fires its timers one at a time, in the
// goroutine of the runner that moves it, so that the runner knows a
// firing is complete when FireNext returns.
type vclock struct {
	mu     sync.Mutex
	now    time.Time
	seq    int
	timers []*vtimer
}

type vtimer struct {
	c   *vclock
	at  time.Time
	seq int
	f   func()
}

var _ clock.Clock = (*vclock)(nil)

func newVClock(start time.Time) *vclock { return &vclock{now: start} }

// Now returns the virtual time.
func (c *vclock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// AfterFunc arms a timer; it fires only through FireNext.
func (c *vclock) AfterFunc(d time.Duration, f func()) clock.Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	t := &vtimer{c: c, at: c.now.Add(d), seq: c.seq, f: f}
	c.timers = append(c.timers, t)
	return t
}

// Stop disarms the timer.
func (t *vtimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	for i, x := range t.c.timers {
		if x == t {
			t.c.timers = append(t.c.timers[:i], t.c.timers[i+1:]...)
			return true
		}
	}
	return false
}

// Next returns the deadline of the earliest armed timer.
func (c *vclock) Next() (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t := c.earliestLocked(); t != nil {
		return t.at, true
	}
	return time.Time{}, false
}

func (c *vclock) earliestLocked() *vtimer {
	var best *vtimer
	for _, t := range c.timers {
		if best == nil || t.at.Before(best.at) || (t.at.Equal(best.at) && t.seq < best.seq) {
			best = t
		}
	}
	return best
}

// FireNext moves the time to the earliest timer, if later than now, and
// runs that one timer's function before returning. It reports false when
// no timer is armed.
func (c *vclock) FireNext() bool {
	c.mu.Lock()
	t := c.earliestLocked()
	if t == nil {
		c.mu.Unlock()
		return false
	}
	for i, x := range c.timers {
		if x == t {
			c.timers = append(c.timers[:i], c.timers[i+1:]...)
			break
		}
	}
	if t.at.After(c.now) {
		c.now = t.at
	}
	c.mu.Unlock()
	t.f()
	return true
}

// Set moves the time forward to at without firing anything; the runner
// calls it only when no timer is due before at.
func (c *vclock) Set(at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if at.After(c.now) {
		c.now = at
	}
}
