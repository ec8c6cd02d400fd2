package interp

import (
	"encoding/json"
	"time"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// StateTest runs one state on its own, as the TestState API does
// (docs/step-functions.md §8). The state runs in an ordinary Machine whose
// other states are stand-ins that end the run as soon as they are
// entered, so the data flow, Assign, Retry and Catch are the interpreter's
// own. Nothing waits: a Wait state's timer fires at once, and a retry the
// state arms ends the test as RETRIABLE. A Map or Parallel state (tested
// only with a mock) runs as a Task whose result is the mock: its
// iterations or branches do not run.
type StateTest struct {
	m     *Machine
	setup TestSetup
	state asl.State
	// retries is the retry count of each retrier once seeded.
	retries []int64
	events  []HistoryEvent
	last    Step
	// retryAt is set when the state armed a retry.
	retryAt, now time.Time
	retried      bool
	invoke       *InvokeTask
	params       json.RawMessage
	result       json.RawMessage
}

// TestSetup is what a TestState request gives the state.
type TestSetup struct {
	// State names the state of the definition to run.
	State string
	// Input is the state input (JSON text; empty means {}).
	Input json.RawMessage
	// Variables are the workflow variables the state sees.
	Variables *jsonv.Object
	// RetrierRetryCount is how many retries the retrier that matches the
	// error has already made.
	RetrierRetryCount int64
}

// TestStep is what the driver must do next: run Invoke (a Task attempt)
// and Handle its outcome, or read Result once Done.
type TestStep struct {
	Done   bool
	Invoke *InvokeTask
}

// standInResource is the resource of the Task a mocked Map or Parallel
// state runs as.
const standInResource = "arn:aws:states:::stepwire:mocked"

// NewStateTest prepares a run of setup.State of def; opts are those of an
// execution.
func NewStateTest(def *asl.Definition, setup TestSetup, opts Options) *StateTest {
	st := def.States[setup.State]
	probe := &asl.Definition{Type: def.Type, QueryLanguage: def.QueryLanguage,
		Scope: asl.Scope{StartAt: setup.State, States: map[string]asl.State{}}}
	for name := range def.States {
		probe.States[name] = &asl.Succeed{Base: asl.Base{Name: name, Type: "Succeed", QueryLanguage: asl.JSONPath}}
	}
	probe.States[setup.State] = standIn(st)
	t := &StateTest{setup: setup, state: st}
	t.m = New(probe, setup.Input, opts)
	if setup.Variables != nil {
		t.m.rootRun.vars.set(setup.Variables)
	}
	return t
}

// standIn is the state that runs for st: a mocked Map or Parallel runs as
// a Task with its result handling, Retry and Catch.
func standIn(st asl.State) asl.State {
	switch s := st.(type) {
	case *asl.Map:
		return &asl.Task{Base: s.Base, Resource: standInResource, ResultSelector: s.ResultSelector,
			ResultPath: s.ResultPath, Retry: s.Retry, Catch: s.Catch}
	case *asl.Parallel:
		return &asl.Task{Base: s.Base, Resource: standInResource, ResultSelector: s.ResultSelector,
			ResultPath: s.ResultPath, Retry: s.Retry, Catch: s.Catch}
	}
	return st
}

// Start runs the state until it needs the outside world.
func (t *StateTest) Start(now time.Time) TestStep {
	t.now = now
	return t.absorb(t.m.Start(now))
}

// Handle applies the outcome of the Task attempt Start or Handle asked
// for: TaskInvoked, TaskFailed, ActivityStarted or a callback.
func (t *StateTest) Handle(now time.Time, ev Event) TestStep {
	t.now = now
	switch e := ev.(type) {
	case TaskInvoked:
		t.result = e.Output
	case CallbackSuccess:
		t.result = json.RawMessage(e.Output)
	}
	s, _ := t.m.Handle(now, ev)
	return t.absorb(s)
}

// absorb takes a step's events and commands: the first Task attempt's
// retriers are seeded with RetrierRetryCount, a Wait's timer fires at
// once, a retry ends the test.
func (t *StateTest) absorb(s Step) TestStep {
	for {
		t.events = append(t.events, s.Events...)
		t.last = s
		t.seedRetries()
		fire := ""
		for _, c := range s.Commands {
			switch c := c.(type) {
			case InvokeTask:
				t.invoke, t.params = &c, c.Parameters
			case ArmTimer:
				fire = t.timer(c, fire)
			}
		}
		if s.Done || t.retried {
			return TestStep{Done: true}
		}
		if fire == "" {
			inv := t.invoke
			t.invoke = nil
			return TestStep{Invoke: inv}
		}
		s, _ = t.m.Handle(t.now, TimerFired{TimerID: fire})
	}
}

// timer sorts an armed timer: a Wait's fires now, a retry's ends the test,
// a task's timeout and heartbeat timers are left unarmed.
func (t *StateTest) timer(c ArmTimer, fire string) string {
	r := t.m.root.cur
	switch {
	case r == nil:
	case r.waitTimer == c.TimerID:
		return c.TimerID
	case r.task != nil && r.task.retryTimer == c.TimerID:
		t.retried, t.retryAt = true, c.At
	}
	return fire
}

// seedRetries sets the retry counts of the tested Task's retriers to
// RetrierRetryCount when its first attempt starts.
func (t *StateTest) seedRetries() {
	r := t.m.root.cur
	if t.retries != nil || r == nil || r.task == nil {
		return
	}
	for i := range r.task.retries {
		r.task.retries[i] = t.setup.RetrierRetryCount
	}
	r.task.attempt = int(t.setup.RetrierRetryCount)
	t.retries = append([]int64{}, r.task.retries...)
}
