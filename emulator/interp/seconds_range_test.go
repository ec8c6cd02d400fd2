package interp

import (
	"fmt"
	"testing"
	"time"
)

// Reference §2.2: TimeoutSeconds and HeartbeatSeconds are positive
// integers; a definition may state at most 99999999 (the default
// TimeoutSeconds). A value from TimeoutSecondsPath, HeartbeatSecondsPath
// or a JSONata expression beyond that fails the state with States.Runtime
// instead of arming a timer whose deadline overflows (and fires at once).
func TestTimerSecondsOutOfRange(t *testing.T) {
	const pathTask = `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",%s,"End":true}}}`
	const jsonataTask = `{"QueryLanguage":"JSONata","StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",%s,"End":true}}}`
	tests := []struct {
		def, fields, input, cause string
	}{
		{pathTask, `"TimeoutSecondsPath":"$.t"`, `{"t":100000000}`, "TimeoutSeconds must be between 1 and 99999999."},
		{pathTask, `"TimeoutSecondsPath":"$.t"`, `{"t":9223372036854775807}`, "TimeoutSeconds must be between 1 and 99999999."},
		{pathTask, `"HeartbeatSecondsPath":"$.h"`, `{"h":10000000000000}`, "HeartbeatSeconds must be between 1 and 99999999."},
		{jsonataTask, `"TimeoutSeconds":"{% $states.input.t %}"`, `{"t":1000000000000000}`, "TimeoutSeconds must be between 1 and 99999999."},
		{jsonataTask, `"HeartbeatSeconds":"{% $states.input.h %}"`, `{"h":100000000}`, "HeartbeatSeconds must be between 1 and 99999999."},
	}
	for _, tt := range tests {
		h := newHarness(t, fmt.Sprintf(tt.def, tt.fields), tt.input)
		want := "An error occurred while executing the state 'T' (entered at the event id #2). " + tt.cause
		if h.last.Status != StatusFailed || h.last.Error != "States.Runtime" || h.last.Cause != want {
			t.Errorf("%s %s: status %s, error %s, cause %q; want States.Runtime %q", tt.fields, tt.input, h.last.Status, h.last.Error, h.last.Cause, want)
		}
		if len(h.timers) != 0 || len(h.invokes) != 0 {
			t.Errorf("%s %s: timers %v, invokes %v", tt.fields, tt.input, h.timers, h.invokes)
		}
	}
}

// The bound itself is accepted, and the timer is armed that far out.
func TestTimerSecondsAtBound(t *testing.T) {
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","TimeoutSecondsPath":"$.t","End":true}}}`
	h := newHarness(t, def, `{"t":99999999}`)
	if h.last.Status != StatusRunning || len(h.invokes) != 1 {
		t.Fatalf("status %s, invokes %v", h.last.Status, h.invokes)
	}
	if err := h.handle(TaskInvoked{TaskID: h.lastInvoke().TaskID, Output: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	for _, at := range h.timers {
		if want := t0.Add(99999999 * time.Second); !at.Equal(want) {
			t.Fatalf("timer at %v, want %v", at, want)
		}
	}
}

// Reference §1.2.1: a wait longer than int32 seconds fails with
// States.Runtime "Wait state delay is too long."; a JSONata Seconds
// expression is held to it like SecondsPath, whatever the integer.
func TestJSONataWaitSecondsTooLong(t *testing.T) {
	def := `{"QueryLanguage":"JSONata","StartAt":"W","States":{"W":{"Type":"Wait","Seconds":"{% $states.input.s %}","End":true}}}`
	for _, s := range []string{"2147483648", "1000000000000000"} {
		h := newHarness(t, def, `{"s":`+s+`}`)
		want := "An error occurred while executing the state 'W' (entered at the event id #2). Wait state delay is too long."
		if h.last.Status != StatusFailed || h.last.Error != "States.Runtime" || h.last.Cause != want {
			t.Errorf("Seconds %s: status %s, error %s, cause %q", s, h.last.Status, h.last.Error, h.last.Cause)
		}
	}
	h := newHarness(t, def, `{"s":2147483647}`)
	if h.last.Status != StatusRunning || len(h.timers) != 1 {
		t.Fatalf("Seconds 2147483647: status %s, timers %v", h.last.Status, h.timers)
	}
	for _, at := range h.timers {
		if want := t0.Add(2147483647 * time.Second); !at.Equal(want) {
			t.Fatalf("timer at %v, want %v", at, want)
		}
	}
}
