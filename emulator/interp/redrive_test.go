package interp

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stepwire/stepwire/emulator/asl"
)

// redriveDef passes, then calls a task that reports its context object's
// Execution; a failed task ends the execution.
const redriveDef = `{"StartAt":"P","States":{
 "P":{"Type":"Pass","Result":{"x":1},"Assign":{"v":"kept"},"Next":"T"},
 "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
  "Parameters":{"FunctionName":"f","Payload":{"in.$":"$","exec.$":"$$.Execution","v.$":"$v"}},"End":true}}}`

// TestRedriveRestartsFromFailedState checks docs/step-functions.md §7.2:
// the failed state is entered again with its input after
// ExecutionRedriven, earlier states are not rerun, variables are kept and
// the context object counts the redrive.
func TestRedriveRestartsFromFailedState(t *testing.T) {
	h := newHarness(t, redriveDef, `{}`)
	first := h.lastInvoke()
	if err := h.handle(TaskFailed{TaskID: first.TaskID, Failure: asl.NewFailure("Boom", "c")}); err != nil {
		t.Fatal(err)
	}
	if h.m.Status() != StatusFailed {
		t.Fatalf("status %s", h.m.Status())
	}
	failedID := h.events[len(h.events)-1].ID
	h.now = h.now.Add(time.Hour)
	h.redrive()
	tail := h.events[failedID:]
	want := []EventType{EventExecutionRedriven, EventStateEntered("Task"), EventTaskScheduled, EventTaskStarted}
	if len(tail) != len(want) {
		t.Fatalf("events after the failure:\n%s", h.transcript())
	}
	for i, e := range tail {
		if e.Type != want[i] || e.PreviousEventID != e.ID-1 {
			t.Errorf("event %d = %s p=%d, want %s p=%d", e.ID, e.Type, e.PreviousEventID, want[i], e.ID-1)
		}
	}
	if got := h.details(failedID + 1); got != `{"redriveCount":1}` {
		t.Errorf("ExecutionRedriven details %s", got)
	}
	var request struct {
		Payload struct {
			In   map[string]any `json:"in"`
			V    string         `json:"v"`
			Exec map[string]any `json:"exec"`
		}
	}
	if err := json.Unmarshal(h.lastInvoke().Parameters, &request); err != nil {
		t.Fatal(err)
	}
	params := request.Payload
	if params.In["x"] != 1.0 || params.V != "kept" {
		t.Errorf("redriven task parameters %s", h.lastInvoke().Parameters)
	}
	if params.Exec["RedriveCount"] != 1.0 || params.Exec["RedriveTime"] == nil ||
		!strings.HasPrefix(params.Exec["RedriveTime"].(string), "2024-04-18T07:00:00") {
		t.Errorf("context Execution %v", params.Exec)
	}
	if err := h.handle(TaskInvoked{TaskID: h.lastInvoke().TaskID, Output: json.RawMessage(`{"ok":true}`)}); err != nil {
		t.Fatal(err)
	}
	if h.m.Status() != StatusSucceeded || h.m.RedriveCount() != 1 {
		t.Fatalf("status %s, redrives %d", h.m.Status(), h.m.RedriveCount())
	}
}

// TestRedriveRefusesRunningAndSucceeded checks that only closed,
// unsuccessful executions are redriven (docs/step-functions.md §7.1).
func TestRedriveRefusesRunningAndSucceeded(t *testing.T) {
	h := newHarness(t, redriveDef, `{}`)
	if _, err := h.m.Redrive(h.now); !errors.Is(err, ErrNotRedrivable) {
		t.Fatalf("running: %v", err)
	}
	if err := h.handle(TaskInvoked{TaskID: h.lastInvoke().TaskID, Output: json.RawMessage(`1`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.m.Redrive(h.now); !errors.Is(err, ErrNotRedrivable) {
		t.Fatalf("succeeded: %v", err)
	}
}

// TestRedriveAfterTimeoutRearmsTimer checks that a timed-out execution
// gets a fresh execution timeout when redriven.
func TestRedriveAfterTimeoutRearmsTimer(t *testing.T) {
	def := `{"TimeoutSeconds":10,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}}`
	h := newHarness(t, def, `{}`)
	h.fireNext() // the execution timeout comes first
	if h.m.Status() != StatusTimedOut {
		t.Fatalf("status %s", h.m.Status())
	}
	h.timers = map[string]time.Time{}
	h.redrive()
	if len(h.timers) != 2 {
		t.Fatalf("timers after redrive %v", h.timers)
	}
	h.fireNext()
	if h.m.Status() != StatusTimedOut {
		t.Fatalf("status after second timeout %s", h.m.Status())
	}
}

// redrive reopens the execution and enters its state again.
func (h *harness) redrive() {
	h.t.Helper()
	s, err := h.m.Redrive(h.now)
	if err != nil {
		h.t.Fatal(err)
	}
	h.record(s)
	h.record(h.m.Enter(h.now))
}
