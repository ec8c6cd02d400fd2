package interp

import (
	"errors"
	"time"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// EventExecutionRedriven is logged when RedriveExecution restarts a
// closed execution (docs/step-functions.md §7.2).
const EventExecutionRedriven EventType = "ExecutionRedriven"

// ExecutionRedrivenDetails is executionRedrivenEventDetails.
type ExecutionRedrivenDetails struct {
	RedriveCount int `json:"redriveCount"`
}

// ErrNotRedrivable reports a Redrive of an execution that is running or
// succeeded.
var ErrNotRedrivable = errors.New("interp: execution is not redrivable")

// redrivePoint is the top-level state an unsuccessful execution stopped
// in, and the input it was entered with.
type redrivePoint struct {
	name  string
	input any
}

// markRedrivePoint remembers where the execution stopped, before its
// threads are closed.
func (m *Machine) markRedrivePoint() {
	if r := m.root.cur; r != nil {
		m.redriveAt = &redrivePoint{name: r.name, input: r.rawInput}
	}
}

// RedriveCount is how many times the execution was redriven.
func (m *Machine) RedriveCount() int { return m.redrives }

// Redrive reopens a FAILED, TIMED_OUT or ABORTED execution without
// running a state: ExecutionRedriven is logged after the terminal event and
// a fresh execution timeout armed. Enter then enters the top-level state
// the execution stopped in again, with that state's input and the
// variables it had. Retry counters start over; a Parallel or Map state
// runs all its branches or iterations again (docs/step-functions.md §7.2).
func (m *Machine) Redrive(now time.Time) (Step, error) {
	switch m.status {
	case StatusFailed, StatusTimedOut, StatusAborted:
	default:
		return Step{Done: true, Status: m.status}, ErrNotRedrivable
	}
	m.begin(now)
	m.status = StatusRunning
	m.redrives++
	m.redriveTime = now
	m.execCtx, m.smCtx = nil, nil // RedriveCount and RedriveTime change
	m.emit(EventExecutionRedriven, m.lastID, &ExecutionRedrivenDetails{RedriveCount: m.redrives})
	if m.def.TimeoutSeconds > 0 {
		m.execTimer = m.newID("exec-timeout")
		m.command(ArmTimer{TimerID: m.execTimer, At: now.Add(time.Duration(m.def.TimeoutSeconds) * time.Second)})
	}
	m.root.done = false
	m.th = m.root
	if m.redriveAt == nil { // it stopped before its first state
		m.redriveAt = &redrivePoint{name: m.def.StartAt, input: m.input}
	}
	m.reentry = true
	return m.end(), nil
}

// enterFirst enters the execution's first state, or after Redrive the
// state it stopped in.
func (m *Machine) enterFirst() {
	if !m.reentry {
		m.enter(m.def.StartAt, m.input, 0)
		return
	}
	p := m.redriveAt
	m.reentry, m.redriveAt = false, nil
	m.enter(p.name, p.input, m.lastID)
}

// setRedriveContext adds RedriveCount and, after a redrive, RedriveTime
// to the context object's Execution.
func (m *Machine) setRedriveContext(exec *jsonv.Object) {
	exec.Set("RedriveCount", jsonv.IntNumber(int64(m.redrives)))
	if m.redrives > 0 {
		exec.Set("RedriveTime", isoTime(m.redriveTime))
	}
}
