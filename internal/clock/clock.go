// Package clock provides the one source of time for stepwire's services.
//
// Every timer in the emulator (Wait states, retries, task and heartbeat
// timeouts, execution timeouts) is armed through a Clock, so tests and
// scenarios can swap the real clock for a Fake one and skip hours of virtual
// time in microseconds.
package clock

import "time"

// Clock tells the time and arms timers.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// AfterFunc calls f in its own goroutine once d has elapsed.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a timer armed by AfterFunc.
type Timer interface {
	// Stop prevents the timer from firing. It reports whether it stopped
	// the timer before it fired.
	Stop() bool
}

// Real is the wall clock.
type Real struct{}

// Now returns time.Now().
func (Real) Now() time.Time { return time.Now() }

// AfterFunc wraps time.AfterFunc.
func (Real) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }
