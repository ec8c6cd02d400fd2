package interp

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stepwire/stepwire/emulator/asl"
)

// callbackMachine returns a one-task machine with extra task fields. The
// Handler state exists only when a catcher names it: AWS refuses
// unreachable states.
func callbackMachine(extra string) string {
	handler := ""
	if strings.Contains(extra, `"Handler"`) {
		handler = `,"Handler":{"Type":"Pass","End":true}`
	}
	return `{"StartAt":"Job","States":{"Job":{"Type":"Task",` +
		`"Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",` +
		`"Parameters":{"FunctionName":"dispatch","Payload":{"TaskToken.$":"$$.Task.Token"}},` + extra +
		`"Next":"Done"},"Done":{"Type":"Pass","End":true}` + handler + `}}`
}

func (h *harness) submit() InvokeTask {
	h.t.Helper()
	inv := h.lastInvoke()
	if err := h.handle(TaskInvoked{TaskID: inv.TaskID, Output: json.RawMessage(invokeResponse)}); err != nil {
		h.t.Fatal(err)
	}
	return inv
}

func (h *harness) expect(want string) {
	h.t.Helper()
	if got := h.transcript(); got != want {
		h.t.Fatalf("transcript:\n%s\nwant:\n%s", got, want)
	}
}

// Reference §3.3 B: SendTaskFailure uncaught skips TaskStateExited.
func TestCallbackFailureUncaught(t *testing.T) {
	h := newHarness(t, callbackMachine(""), `{}`)
	inv := h.submit()
	if err := h.handle(CallbackFailure{Token: inv.Token, Failure: asl.NewFailure("Failure error", "Failure cause")}); err != nil {
		t.Fatal(err)
	}
	h.expect(lines("1 ExecutionStarted p=0", "2 TaskStateEntered p=0", "3 TaskScheduled p=2", "4 TaskStarted p=3",
		"5 TaskSubmitted p=4", "6 TaskFailed p=5", "7 ExecutionFailed p=6"))
	if h.last.Status != StatusFailed || h.last.Error != "Failure error" || h.last.Cause != "Failure cause" {
		t.Fatalf("step = %+v", h.last)
	}
	if got := h.details(6); got != `{"resourceType":"lambda","resource":"invoke.waitForTaskToken","error":"Failure error","cause":"Failure cause"}` {
		t.Fatalf("TaskFailed details = %s", got)
	}
}

// Reference §0.1 and §3.3 C: a missed heartbeat is States.Timeout, no cause;
// heartbeats re-arm the timer.
func TestHeartbeatTimeout(t *testing.T) {
	h := newHarness(t, callbackMachine(`"HeartbeatSeconds":5,"TimeoutSeconds":600,`), `{}`)
	inv := h.submit()
	h.now = h.now.Add(4 * time.Second)
	if err := h.handle(CallbackHeartbeat{Token: inv.Token}); err != nil {
		t.Fatal(err)
	}
	h.fireNext()
	if !h.now.Equal(t0.Add(9 * time.Second)) {
		t.Fatalf("heartbeat expired at %v, want 9s after start", h.now.Sub(t0))
	}
	h.expect(lines("1 ExecutionStarted p=0", "2 TaskStateEntered p=0", "3 TaskScheduled p=2", "4 TaskStarted p=3",
		"5 TaskSubmitted p=4", "6 TaskTimedOut p=5", "7 ExecutionFailed p=6"))
	if got := h.details(6); got != `{"resourceType":"lambda","resource":"invoke.waitForTaskToken","error":"States.Timeout"}` {
		t.Fatalf("TaskTimedOut details = %s", got)
	}
	if got := h.details(3); !strings.Contains(got, `"timeoutInSeconds":600,"heartbeatInSeconds":5`) {
		t.Fatalf("TaskScheduled details = %s", got)
	}
	if h.last.Error != "States.Timeout" || h.last.HasCause {
		t.Fatalf("step = %+v", h.last)
	}
	if len(h.timers) != 0 {
		t.Fatalf("timers left armed: %v", h.timers)
	}
	if err := h.handle(CallbackSuccess{Token: inv.Token, Output: "{}"}); !errors.Is(err, ErrTokenClosed) {
		t.Fatalf("late success err = %v", err)
	}
}

// Reference §1.6, §3.3 D: retries emit no event, get fresh tokens, wait
// IntervalSeconds × BackoffRate^n; once exhausted the catcher applies.
func TestRetryExhaustedThenCaught(t *testing.T) {
	extra := `"Retry":[{"ErrorEquals":["Boom"],"IntervalSeconds":2,"MaxAttempts":2,"BackoffRate":3}],` +
		`"Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Handler"}],`
	h := newHarness(t, callbackMachine(extra), `{"x":1}`)
	var tokens []string
	for attempt := 0; attempt < 3; attempt++ {
		inv := h.submit()
		tokens = append(tokens, inv.Token)
		if err := h.handle(CallbackFailure{Token: inv.Token, Failure: asl.ErrorOnly("Boom")}); err != nil {
			t.Fatal(err)
		}
		if attempt < 2 {
			before := h.now
			h.fireNext()
			if want := []time.Duration{2 * time.Second, 6 * time.Second}[attempt]; h.now.Sub(before) != want {
				t.Fatalf("retry %d delay %v, want %v", attempt+1, h.now.Sub(before), want)
			}
		}
	}
	h.expect(lines("1 ExecutionStarted p=0", "2 TaskStateEntered p=0",
		"3 TaskScheduled p=2", "4 TaskStarted p=3", "5 TaskSubmitted p=4", "6 TaskFailed p=5",
		"7 TaskScheduled p=6", "8 TaskStarted p=7", "9 TaskSubmitted p=8", "10 TaskFailed p=9",
		"11 TaskScheduled p=10", "12 TaskStarted p=11", "13 TaskSubmitted p=12", "14 TaskFailed p=13",
		"15 TaskStateExited p=14", "16 PassStateEntered p=15", "17 PassStateExited p=16", "18 ExecutionSucceeded p=17"))
	if tokens[0] == tokens[1] || tokens[1] == tokens[2] {
		t.Fatalf("tokens not fresh per attempt: %v", tokens)
	}
	if got := string(h.last.Output); got != `{"x":1,"error":{"Error":"Boom","Cause":null}}` {
		t.Fatalf("output = %s", got)
	}
	if err := h.handle(CallbackSuccess{Token: tokens[0], Output: "{}"}); !errors.Is(err, ErrTokenClosed) {
		t.Fatalf("old token err = %v", err)
	}
}

// Reference §3.3 E: a catch logs TaskStateExited with the error output.
func TestCatchReplacesOutput(t *testing.T) {
	h := newHarness(t, callbackMachine(`"Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"Handler"}],`), `{"x":1}`)
	h.submit()
	inv := h.lastInvoke()
	if err := h.handle(CallbackFailure{Token: inv.Token, Failure: asl.NewFailure("E", "C")}); err != nil {
		t.Fatal(err)
	}
	if got := h.details(7); got != `{"name":"Job","output":"{\"Error\":\"E\",\"Cause\":\"C\"}","outputDetails":{"truncated":false}}` {
		t.Fatalf("TaskStateExited = %s", got)
	}
	if got := string(h.last.Output); got != `{"Error":"E","Cause":"C"}` {
		t.Fatalf("output = %s", got)
	}
}

// States.TaskFailed does not match a timeout; States.HeartbeatTimeout only
// matches a heartbeat-caused one (docs/step-functions.md §1.6, §1.8).
func TestTimeoutMatching(t *testing.T) {
	tests := []struct {
		name, catch string
		heartbeat   bool
		caught      bool
	}{
		{"task failed skips timeout", `"States.TaskFailed"`, false, false},
		{"heartbeat name on heartbeat", `"States.HeartbeatTimeout"`, true, true},
		{"heartbeat name on task timeout", `"States.HeartbeatTimeout"`, false, false},
		{"timeout on heartbeat", `"States.Timeout"`, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			timing := `"TimeoutSeconds":10,`
			if tt.heartbeat {
				timing = `"HeartbeatSeconds":3,"TimeoutSeconds":10,`
			}
			h := newHarness(t, callbackMachine(timing+`"Catch":[{"ErrorEquals":[`+tt.catch+`],"Next":"Handler"}],`), `{}`)
			h.submit()
			h.fireNext()
			if caught := h.last.Status == StatusSucceeded; caught != tt.caught {
				t.Fatalf("caught = %v, want %v\n%s", caught, tt.caught, h.transcript())
			}
		})
	}
}

// Reference §2.4: StopExecution aborts with p=0, no state event, and closes
// the token.
func TestStopWhileWaiting(t *testing.T) {
	h := newHarness(t, callbackMachine(`"HeartbeatSeconds":30,`), `{}`)
	inv := h.submit()
	if err := h.handle(Stop{Failure: asl.NewFailure("Manual", "probe")}); err != nil {
		t.Fatal(err)
	}
	h.expect(lines("1 ExecutionStarted p=0", "2 TaskStateEntered p=0", "3 TaskScheduled p=2", "4 TaskStarted p=3",
		"5 TaskSubmitted p=4", "6 ExecutionAborted p=0"))
	if h.last.Status != StatusAborted || len(h.timers) != 0 || len(h.closed) != 1 || h.closed[0] != inv.Token {
		t.Fatalf("status %s timers %v closed %v", h.last.Status, h.timers, h.closed)
	}
	if err := h.handle(CallbackHeartbeat{Token: inv.Token}); !errors.Is(err, ErrTokenClosed) {
		t.Fatalf("heartbeat after stop err = %v", err)
	}
}

// Reference §1.1 and §3.3 G: the execution timeout preempts a waiting task.
func TestExecutionTimeout(t *testing.T) {
	def := strings.Replace(callbackMachine(""), `{"StartAt"`, `{"TimeoutSeconds":5,"StartAt"`, 1)
	h := newHarness(t, def, `{}`)
	h.submit()
	h.fireNext()
	h.expect(lines("1 ExecutionStarted p=0", "2 TaskStateEntered p=0", "3 TaskScheduled p=2", "4 TaskStarted p=3",
		"5 TaskSubmitted p=4", "6 ExecutionTimedOut p=0"))
	if h.last.Status != StatusTimedOut || h.now.Sub(t0) != 5*time.Second || h.last.HasError {
		t.Fatalf("step %+v after %v", h.last, h.now.Sub(t0))
	}
	if got := h.details(6); got != `{"error":"States.Timeout"}` {
		t.Fatalf("details = %s", got)
	}
}

// Reference §2.1 EMU: a callback before TaskInvoked is buffered and logged
// after TaskSubmitted.
func TestEarlyCallback(t *testing.T) {
	h := newHarness(t, callbackMachine(""), `{}`)
	inv := h.lastInvoke()
	if err := h.handle(CallbackSuccess{Token: inv.Token, Output: `{"r":1}`}); err != nil {
		t.Fatal(err)
	}
	if len(h.events) != 4 {
		t.Fatalf("early callback logged events:\n%s", h.transcript())
	}
	h.submit()
	h.expect(lines("1 ExecutionStarted p=0", "2 TaskStateEntered p=0", "3 TaskScheduled p=2", "4 TaskStarted p=3",
		"5 TaskSubmitted p=4", "6 TaskSucceeded p=5", "7 TaskStateExited p=6", "8 PassStateEntered p=7",
		"9 PassStateExited p=8", "10 ExecutionSucceeded p=9"))
}

// Stale task ids and unknown timers are reported, not applied.
func TestStaleEvents(t *testing.T) {
	h := newHarness(t, callbackMachine(""), `{}`)
	if err := h.handle(TaskInvoked{TaskID: "nope"}); !errors.Is(err, ErrUnknownTask) {
		t.Fatalf("err = %v", err)
	}
	if err := h.handle(TimerFired{TimerID: "nope"}); !errors.Is(err, ErrUnknownTask) {
		t.Fatalf("err = %v", err)
	}
	if err := h.handle(CallbackSuccess{Token: "garbage", Output: "{}"}); !errors.Is(err, ErrTokenClosed) {
		t.Fatalf("err = %v", err)
	}
}

// Reference §3.3 N: a legacy Lambda ARN logs LambdaFunction* events.
func TestLegacyLambdaResource(t *testing.T) {
	def := `{"StartAt":"F","States":{"F":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","ResultSelector":{"v.$":"$.n"},"End":true}}}`
	h := newHarness(t, def, `{"n":1}`)
	inv := h.lastInvoke()
	if err := h.handle(TaskInvoked{TaskID: inv.TaskID, Output: json.RawMessage(`{"n":2}`)}); err != nil {
		t.Fatal(err)
	}
	h.expect(lines("1 ExecutionStarted p=0", "2 TaskStateEntered p=0", "3 LambdaFunctionScheduled p=2",
		"4 LambdaFunctionStarted p=3", "5 LambdaFunctionSucceeded p=4", "6 TaskStateExited p=5", "7 ExecutionSucceeded p=6"))
	if got := string(h.last.Output); got != `{"v":2}` {
		t.Fatalf("output = %s", got)
	}
}

func TestHistoryEventJSON(t *testing.T) {
	e := HistoryEvent{ID: 3, PreviousEventID: 2, Timestamp: time.UnixMilli(1712345678123), Type: EventTaskStarted,
		Details: &TaskStartedDetails{ResourceType: "lambda", Resource: "invoke"}}
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":3,"previousEventId":2,"timestamp":1712345678.123,"type":"TaskStarted","taskStartedEventDetails":{"resourceType":"lambda","resource":"invoke"}}`
	if string(b) != want {
		t.Fatalf("got %s", b)
	}
	in := "{}"
	e2 := HistoryEvent{ID: 1, Type: EventExecutionStarted, Timestamp: time.UnixMilli(5),
		Details: &ExecutionStartedDetails{Input: &in, InputDetails: notTruncated, RoleArn: "r"}}
	b, _ = json.Marshal(e2.WithoutData())
	if string(b) != `{"id":1,"previousEventId":0,"timestamp":0.005,"type":"ExecutionStarted","executionStartedEventDetails":{"inputDetails":{"truncated":false},"roleArn":"r"}}` {
		t.Fatalf("without data: %s", b)
	}
}

// Reference §0.8: a task result over 256 KiB is a TaskFailed
// States.DataLimitExceeded that States.ALL catches.
func TestTaskResultOverLimitIsCatchable(t *testing.T) {
	h := newHarness(t, callbackMachine(`"Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Handler"}],`), `{}`)
	inv := h.submit()
	big := `"` + strings.Repeat("a", MaxPayloadBytes) + `"`
	if err := h.handle(CallbackSuccess{Token: inv.Token, Output: big}); err != nil {
		t.Fatal(err)
	}
	want := lines("1 ExecutionStarted p=0", "2 TaskStateEntered p=0", "3 TaskScheduled p=2", "4 TaskStarted p=3",
		"5 TaskSubmitted p=4", "6 TaskFailed p=5", "7 TaskStateExited p=6", "8 PassStateEntered p=7",
		"9 PassStateExited p=8", "10 ExecutionSucceeded p=9")
	if got := h.transcript(); got != want {
		t.Fatalf("transcript:\n%s\nwant:\n%s", got, want)
	}
	if got := h.details(6); !strings.Contains(got, `"error":"States.DataLimitExceeded"`) {
		t.Fatalf("failed = %s", got)
	}
}
