package interp

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stepwire/stepwire/emulator/asl"
)

// Reference §0.10 / §3.3 H: the failing ExecutionFailed is event #25000,
// p=24999, States.Runtime with AWS's exact cause.
func TestHistoryCap(t *testing.T) {
	def := `{"StartAt":"L","States":{"L":{"Type":"Choice","Choices":[{"Variable":"$.stop","BooleanEquals":true,"Next":"Done"}],"Default":"L"},"Done":{"Type":"Succeed"}}}`
	h := newHarness(t, def, `{"stop":false}`)
	last := h.events[len(h.events)-1]
	if len(h.events) != MaxHistoryEvents || last.ID != 25000 || last.PreviousEventID != 24999 || last.Type != "ExecutionFailed" {
		t.Fatalf("%d events, last %+v", len(h.events), last)
	}
	if h.last.Error != "States.Runtime" || h.last.Cause != "The execution reached the maximum number of history events (25000)." {
		t.Fatalf("error %q cause %q", h.last.Error, h.last.Cause)
	}
}

// Reference §1.4: $$.State.RetryCount counts the retries of the state.
func TestRetryCountInContext(t *testing.T) {
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
 "Parameters":{"FunctionName":"f","Payload":{"n.$":"$$.State.RetryCount"}},"Retry":[{"ErrorEquals":["E"],"MaxAttempts":2}],"End":true}}}`
	h := newHarness(t, def, `{}`)
	for range 2 {
		_ = h.handle(TaskFailed{TaskID: h.lastInvoke().TaskID, Failure: asl.ErrorOnly("E")})
		h.fireNext()
	}
	for i, inv := range h.invokes {
		if want := `{"FunctionName":"f","Payload":{"n":` + string(rune('0'+i)) + `}}`; string(inv.Parameters) != want {
			t.Fatalf("attempt %d parameters %s, want %s", i, inv.Parameters, want)
		}
	}
}

// Reference §1.6: JitterStrategy FULL draws the delay from [0, delay]
// through the injected Random (in milliseconds); MaxDelaySeconds caps the
// backoff first.
func TestRetryJitterAndMaxDelay(t *testing.T) {
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
 "Retry":[{"ErrorEquals":["E"],"IntervalSeconds":10,"BackoffRate":10,"MaxAttempts":3,"MaxDelaySeconds":50,"JitterStrategy":"FULL"}],"End":true}}}`
	d, err := asl.Parse([]byte(def), asl.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var asked []int64
	m := New(d, json.RawMessage(`{}`), Options{Random: func(lo, hi int64) int64 { asked = append(asked, hi); return hi / 2 }})
	s := m.Start(t0)
	for range 2 {
		inv := s.Commands[0].(InvokeTask)
		s, _ = m.Handle(t0, TaskFailed{TaskID: inv.TaskID, Failure: asl.ErrorOnly("E")})
		var arm ArmTimer
		for _, c := range s.Commands {
			if a, ok := c.(ArmTimer); ok {
				arm = a
			}
		}
		s, _ = m.Handle(t0, TimerFired{TimerID: arm.TimerID})
		if got := arm.At.Sub(t0); got != time.Duration(asked[len(asked)-1]/2)*time.Millisecond {
			t.Fatalf("delay %v for bound %d", got, asked[len(asked)-1])
		}
	}
	if len(asked) != 2 || asked[0] != 10000 || asked[1] != 50000 {
		t.Fatalf("jitter bounds %v, want [10000 50000]", asked)
	}
}
