// Package budget bounds one evaluation of a JSONata expression, a JSONPath
// or an intrinsic function call, so that no expression, however written,
// can hold the interpreter for ever or exhaust the process's memory.
//
// Two budgets apply, both counted by the evaluation itself and therefore
// deterministic (pure cores read no clock):
//
//   - steps stand for time, about a microsecond each: a call of a function
//     the expression defines costs CallSteps, a builtin a step per item
//     it walks over, a measurement a step per 16 values visited;
//   - bytes stand for memory: every value the evaluation builds is
//     measured as it is built, with an estimate of the Go memory it holds
//     (Size), and the sizes add up over the evaluation.
//
// A caller may also supply Interrupt, polled every few thousand steps, to
// abandon an evaluation for reasons of its own (a deadline on its clock, an
// execution being stopped).
package budget

import (
	"fmt"
)

// Defaults large enough for every recorded conformance case and for the
// workloads Step Functions' payload limit (256 KiB) allows: a hundred
// passes over such a payload with several functions each stay far below
// them.
const (
	// DefaultSteps is the step budget of one evaluation when Limits.Steps
	// is zero: a few seconds of the slowest evaluation (1.25 million
	// calls of a function the expression defines).
	DefaultSteps int64 = 5_000_000
	// CallSteps is the cost of one call of a function the expression
	// defines: the engine takes a few microseconds for one.
	CallSteps int64 = 4
	// DefaultBytes is the memory budget of one evaluation when
	// Limits.Bytes is zero: 64 MiB of values built, 256 times the
	// largest payload.
	DefaultBytes int64 = 64 << 20
)

// Limits configures the budgets of one evaluation. The zero value is the
// defaults with no interrupt.
type Limits struct {
	// Steps is the step budget (0: DefaultSteps).
	Steps int64
	// Bytes is the memory budget, in estimated bytes of values built
	// (0: DefaultBytes).
	Bytes int64
	// Interrupt, when set, is polled every PollEvery steps; true abandons
	// the evaluation.
	Interrupt func() bool
}

// PollEvery is how many steps pass between two calls of Interrupt.
const PollEvery = 4096

// Meter counts one evaluation's steps and bytes against its Limits. It is
// used by one goroutine at a time.
type Meter struct {
	maxSteps, maxBytes int64
	interrupt          func() bool
	steps, bytes       int64
	nextPoll           int64
	err                *Exceeded
}

// New starts a meter for one evaluation.
func New(l Limits) *Meter {
	m := &Meter{maxSteps: l.Steps, maxBytes: l.Bytes, interrupt: l.Interrupt, nextPoll: PollEvery}
	if m.maxSteps <= 0 {
		m.maxSteps = DefaultSteps
	}
	if m.maxBytes <= 0 {
		m.maxBytes = DefaultBytes
	}
	return m
}

// Step spends n steps; past the budget (or when Interrupt says so) it
// returns the *Exceeded error, and keeps returning it.
func (m *Meter) Step(n int64) error {
	if m.err != nil {
		return m.err
	}
	m.steps += n
	if m.steps > m.maxSteps {
		return m.trip(&Exceeded{Limit: Steps, Max: m.maxSteps})
	}
	if m.interrupt != nil && m.steps >= m.nextPoll {
		m.nextPoll = m.steps + PollEvery
		if m.interrupt() {
			return m.trip(&Exceeded{Limit: Interrupted})
		}
	}
	return nil
}

// Alloc records n bytes of values built.
func (m *Meter) Alloc(n int64) error {
	if m.err != nil {
		return m.err
	}
	m.bytes += n
	if m.bytes > m.maxBytes {
		return m.trip(&Exceeded{Limit: Bytes, Max: m.maxBytes})
	}
	return nil
}

// Reserve fails, without spending anything, when n more bytes would not
// fit: the check made before building a value whose size is known in
// advance (a range, a padded string).
func (m *Meter) Reserve(n int64) error {
	if m.err != nil {
		return m.err
	}
	if n < 0 || m.bytes+n > m.maxBytes {
		return m.trip(&Exceeded{Limit: Bytes, Max: m.maxBytes})
	}
	return nil
}

// Room is how many bytes may still be built.
func (m *Meter) Room() int64 { return max(0, m.maxBytes-m.bytes) }

// Err is the budget that ran out, or nil.
func (m *Meter) Err() error {
	if m.err == nil {
		return nil
	}
	return m.err
}

// Spent reports the steps and bytes used so far.
func (m *Meter) Spent() (steps, bytes int64) { return m.steps, m.bytes }

func (m *Meter) trip(e *Exceeded) error {
	m.err = e
	return e
}

// Limit names a budget.
type Limit int

// The budgets.
const (
	Steps Limit = iota + 1
	Bytes
	Interrupted
)

// Exceeded is the failure of an evaluation past one of its budgets.
type Exceeded struct {
	Limit Limit
	Max   int64
}

// Error names the limit and the option that sets it; interp quotes it in
// the state's cause.
func (e *Exceeded) Error() string {
	switch e.Limit {
	case Steps:
		return fmt.Sprintf("The evaluation exceeded stepwire's budget of %d steps (interp.Options.MaxEvalSteps).", e.Max)
	case Bytes:
		return fmt.Sprintf("The evaluation exceeded stepwire's budget of %d bytes of values built (interp.Options.MaxEvalBytes).", e.Max)
	}
	return "The evaluation was interrupted by stepwire (interp.Options.Interrupt)."
}

// String names the limit.
func (l Limit) String() string {
	switch l {
	case Steps:
		return "steps"
	case Bytes:
		return "bytes"
	case Interrupted:
		return "interrupt"
	}
	return "none"
}
