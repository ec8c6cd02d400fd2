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
	// AfterFunc calls f once d has elapsed.
	AfterFunc(d time.Duration, f func()) Timer
	// AfterFuncAt calls f once the clock reaches at. Arming by deadline
	// rather than by duration keeps a timer exact when the clock moves
	// between reading Now and arming.
	AfterFuncAt(at time.Time, f func()) Timer
}

// Timer is a timer armed by AfterFunc or AfterFuncAt.
type Timer interface {
	// Stop prevents the timer from firing. It reports whether it stopped
	// the timer before it fired.
	Stop() bool
}

// Real is the wall clock. Its timers fire in their own goroutines.
type Real struct{}

// Now returns time.Now().
func (Real) Now() time.Time { return time.Now() }

// AfterFunc wraps time.AfterFunc.
func (Real) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// AfterFuncAt wraps time.AfterFunc with the time left until at.
func (Real) AfterFuncAt(at time.Time, f func()) Timer { return time.AfterFunc(time.Until(at), f) }
