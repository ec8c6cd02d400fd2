package interp

import (
	"encoding/json"
	"testing"

	"github.com/stepwire/stepwire/emulator/asl"
)

// A Map whose iterations call a task: with no MaxConcurrency every
// iteration starts (each runs until it waits), results keep item order.
const mapOfTasks = `{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items",
 "ItemSelector":{"i.$":"$$.Map.Item.Index","v.$":"$$.Map.Item.Value"},
 "ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"T","States":{
  "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},
 "ResultPath":"$.out","End":true}}}`

// Reference §3.3 J: iterations interleave; MapStateSucceeded and
// MapStateExited both follow the last MapIterationSucceeded.
func TestMapConcurrentIterations(t *testing.T) {
	h := newHarness(t, mapOfTasks, `{"items":["a","b"]}`)
	if len(h.invokes) != 2 {
		t.Fatalf("invokes = %d, want both iterations running", len(h.invokes))
	}
	if got := string(h.invokes[1].Parameters); got != `{"i":1,"v":"b"}` {
		t.Fatalf("iteration input = %s", got)
	}
	// Finish the second iteration first: results still keep item order.
	for _, i := range []int{1, 0} {
		inv := h.invokes[i]
		if err := h.handle(TaskInvoked{TaskID: inv.TaskID, Output: json.RawMessage(`"r` + string(rune('0'+i)) + `"`)}); err != nil {
			t.Fatal(err)
		}
	}
	want := lines("1 ExecutionStarted p=0", "2 MapStateEntered p=0", "3 MapStateStarted p=2",
		"4 MapIterationStarted p=3", "5 TaskStateEntered p=4", "6 TaskScheduled p=5", "7 TaskStarted p=6",
		"8 MapIterationStarted p=3", "9 TaskStateEntered p=8", "10 TaskScheduled p=9", "11 TaskStarted p=10",
		"12 TaskSucceeded p=11", "13 TaskStateExited p=12", "14 MapIterationSucceeded p=13",
		"15 TaskSucceeded p=7", "16 TaskStateExited p=15", "17 MapIterationSucceeded p=16",
		"18 MapStateSucceeded p=17", "19 MapStateExited p=17", "20 ExecutionSucceeded p=19")
	if got := h.transcript(); got != want {
		t.Fatalf("transcript:\n%s\nwant:\n%s", got, want)
	}
	if got := string(h.last.Output); got != `{"items":["a","b"],"out":["r0","r1"]}` {
		t.Fatalf("output = %s", got)
	}
	if got := h.details(8); got != `{"name":"M","index":1}` {
		t.Fatalf("iteration details = %s", got)
	}
}

// MaxConcurrency 1: the next iteration starts after the previous one's
// last event (AWS-recorded test_map_state: MapIterationStarted p = the
// previous iteration's StateExited).
func TestMapMaxConcurrencyQueuesIterations(t *testing.T) {
	def := `{"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,
 "Iterator":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},"End":true}}}`
	h := newHarness(t, def, `[1,2]`)
	if len(h.invokes) != 1 {
		t.Fatalf("invokes = %d, want 1", len(h.invokes))
	}
	_ = h.handle(TaskInvoked{TaskID: h.lastInvoke().TaskID, Output: json.RawMessage(`1`)})
	if len(h.invokes) != 2 {
		t.Fatalf("second iteration not started")
	}
	_ = h.handle(TaskInvoked{TaskID: h.lastInvoke().TaskID, Output: json.RawMessage(`2`)})
	want := lines("1 ExecutionStarted p=0", "2 MapStateEntered p=0", "3 MapStateStarted p=2",
		"4 MapIterationStarted p=3", "5 TaskStateEntered p=4", "6 TaskScheduled p=5", "7 TaskStarted p=6",
		"8 TaskSucceeded p=7", "9 TaskStateExited p=8", "10 MapIterationSucceeded p=9", "11 MapIterationStarted p=9",
		"12 TaskStateEntered p=11", "13 TaskScheduled p=12", "14 TaskStarted p=13", "15 TaskSucceeded p=14",
		"16 TaskStateExited p=15", "17 MapIterationSucceeded p=16", "18 MapStateSucceeded p=17",
		"19 MapStateExited p=17", "20 ExecutionSucceeded p=19")
	if got := h.transcript(); got != want {
		t.Fatalf("transcript:\n%s\nwant:\n%s", got, want)
	}
}

// A failing iteration cuts the running ones: MapIterationAborted and the
// state it was in, chained to the failure, then MapIterationFailed and
// MapStateFailed (docs/step-functions.md §3.3 J); their tokens are closed.
func TestMapFailureAbortsSiblings(t *testing.T) {
	def := `{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"T","States":{
 "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","End":true}}},"End":true}}}`
	h := newHarness(t, def, `[1,2]`)
	if err := h.handle(TaskFailed{TaskID: h.invokes[1].TaskID, Failure: asl.ErrorOnly("Boom")}); err != nil {
		t.Fatal(err)
	}
	want := lines("1 ExecutionStarted p=0", "2 MapStateEntered p=0", "3 MapStateStarted p=2",
		"4 MapIterationStarted p=3", "5 TaskStateEntered p=4", "6 TaskScheduled p=5", "7 TaskStarted p=6",
		"8 MapIterationStarted p=3", "9 TaskStateEntered p=8", "10 TaskScheduled p=9", "11 TaskStarted p=10",
		"12 TaskFailed p=11", "13 MapIterationAborted p=12", "14 TaskStateAborted p=12", "15 TaskStateAborted p=12",
		"16 MapIterationFailed p=12", "17 MapStateFailed p=12", "18 ExecutionFailed p=17")
	if got := h.transcript(); got != want {
		t.Fatalf("transcript:\n%s\nwant:\n%s", got, want)
	}
	if h.last.Error != "Boom" || len(h.closed) != 2 {
		t.Fatalf("error %q, closed tokens %v", h.last.Error, h.closed)
	}
	if err := h.handle(CallbackSuccess{Token: "token-1", Output: `{}`}); err != ErrTokenClosed {
		t.Fatalf("late callback: %v", err)
	}
}

// Reference §3.3 K: Parallel output is the branch outputs in branch order;
// a Catch on the Parallel state leaves through ParallelStateExited.
func TestParallelBranchesAndCatch(t *testing.T) {
	def := `{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[
 {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":5,"End":true}}},
 {"StartAt":"X","States":{"X":{"Type":"Pass","Result":"x","End":true}}}],
 "ResultSelector":{"first.$":"$[0]","second.$":"$[1]"},"End":true}}}`
	h := newHarness(t, def, `{"k":1}`)
	h.fireNext()
	if got := string(h.last.Output); got != `{"first":{"k":1},"second":"x"}` {
		t.Fatalf("output = %s", got)
	}
	want := lines("1 ExecutionStarted p=0", "2 ParallelStateEntered p=0", "3 ParallelStateStarted p=2",
		"4 WaitStateEntered p=3", "5 PassStateEntered p=3", "6 PassStateExited p=5", "7 WaitStateExited p=4",
		"8 ParallelStateSucceeded p=7", "9 ParallelStateExited p=8", "10 ExecutionSucceeded p=9")
	if got := h.transcript(); got != want {
		t.Fatalf("transcript:\n%s\nwant:\n%s", got, want)
	}
}

// A branch failure cuts the other branches (WaitStateAborted) and the
// Parallel state's Retry restarts every branch: ParallelStateStarted
// follows the failure (AWS-recorded test_parallel_state_retry).
func TestParallelRetryAfterBranchFailure(t *testing.T) {
	def := `{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[
 {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":5,"End":true}}},
 {"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E"}}}],
 "Retry":[{"ErrorEquals":["E"],"MaxAttempts":1}],
 "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"Done"}],"Next":"Done"},
 "Done":{"Type":"Succeed"}}}`
	h := newHarness(t, def, `{}`)
	h.fireNext() // retry delay
	want := lines("1 ExecutionStarted p=0", "2 ParallelStateEntered p=0", "3 ParallelStateStarted p=2",
		"4 WaitStateEntered p=3", "5 FailStateEntered p=3", "6 WaitStateAborted p=5",
		"7 ParallelStateStarted p=5", "8 WaitStateEntered p=7", "9 FailStateEntered p=7", "10 WaitStateAborted p=9",
		"11 ParallelStateFailed p=9", "12 ParallelStateExited p=11", "13 SucceedStateEntered p=12",
		"14 SucceedStateExited p=13", "15 ExecutionSucceeded p=14")
	if got := h.transcript(); got != want {
		t.Fatalf("transcript:\n%s\nwant:\n%s", got, want)
	}
	if got := string(h.last.Output); got != `{"err":{"Error":"E","Cause":null}}` {
		t.Fatalf("output = %s", got)
	}
	if len(h.timers) != 0 {
		t.Fatalf("timers left armed: %v", h.timers)
	}
}

// StopExecution during a Map ends it with ExecutionAborted p=0 and no
// state-level events (docs/step-functions.md §0.9); every token is closed.
func TestStopDuringMap(t *testing.T) {
	def := `{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"T","States":{
 "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","HeartbeatSeconds":5,"End":true}}},"End":true}}}`
	h := newHarness(t, def, `[1,2,3]`)
	_ = h.handle(Stop{})
	if h.events[len(h.events)-1].Type != "ExecutionAborted" || len(h.closed) != 3 || len(h.timers) != 0 {
		t.Fatalf("last %s, closed %v, timers %v", h.events[len(h.events)-1].Type, h.closed, h.timers)
	}
}
