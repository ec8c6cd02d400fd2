package interp

import (
	"testing"

	"github.com/stepwire/stepwire/emulator/asl"
)

const activityMachine = `{"StartAt":"Work","States":{"Work":{"Type":"Task",
 "Resource":"arn:aws:states:us-east-1:123456789012:activity:adder","TimeoutSeconds":60,"HeartbeatSeconds":10,
 "Parameters":{"a.$":"$.a"},"Retry":[{"ErrorEquals":["States.Timeout"],"MaxAttempts":1}],"End":true}}}`

// Reference §3.3 L: ActivityScheduled, ActivityStarted{workerName} when a
// worker takes the task, ActivitySucceeded; the callback token is in the
// InvokeTask the driver queues for GetActivityTask.
func TestActivitySucceeds(t *testing.T) {
	h := newHarness(t, activityMachine, `{"a":1}`)
	inv := h.lastInvoke()
	if !inv.Activity || inv.Token != "token-1" || string(inv.Parameters) != `{"a":1}` {
		t.Fatalf("invoke = %+v", inv)
	}
	if len(h.timers) != 0 {
		t.Fatalf("clocks armed before a worker took the task: %v", h.timers)
	}
	if err := h.handle(ActivityStarted{TaskID: inv.TaskID, WorkerName: "w1"}); err != nil {
		t.Fatal(err)
	}
	if len(h.timers) != 2 {
		t.Fatalf("timers = %v, want timeout and heartbeat", h.timers)
	}
	if err := h.handle(CallbackSuccess{Token: "token-1", Output: `{"sum":3}`}); err != nil {
		t.Fatal(err)
	}
	want := lines("1 ExecutionStarted p=0", "2 TaskStateEntered p=0", "3 ActivityScheduled p=2",
		"4 ActivityStarted p=3", "5 ActivitySucceeded p=4", "6 TaskStateExited p=5", "7 ExecutionSucceeded p=6")
	if got := h.transcript(); got != want {
		t.Fatalf("transcript:\n%s\nwant:\n%s", got, want)
	}
	if got := h.details(3); got != `{"resource":"arn:aws:states:us-east-1:123456789012:activity:adder","input":"{\"a\":1}","inputDetails":{"truncated":false},"timeoutInSeconds":60,"heartbeatInSeconds":10}` {
		t.Fatalf("scheduled = %s", got)
	}
	if got := h.details(4); got != `{"workerName":"w1"}` {
		t.Fatalf("started = %s", got)
	}
}

// A missed heartbeat is ActivityTimedOut{States.Timeout}; the retry
// schedules the activity again with a fresh token; ActivityFailed carries
// SendTaskFailure's error.
func TestActivityTimeoutRetryAndFailure(t *testing.T) {
	h := newHarness(t, activityMachine, `{"a":1}`)
	_ = h.handle(ActivityStarted{TaskID: h.lastInvoke().TaskID})
	h.fireNext() // heartbeat
	h.fireNext() // retry delay
	inv := h.lastInvoke()
	if inv.Token != "token-2" {
		t.Fatalf("retry token = %q", inv.Token)
	}
	_ = h.handle(ActivityStarted{TaskID: inv.TaskID})
	if err := h.handle(CallbackFailure{Token: "token-2", Failure: asl.ErrorOnly("Bad")}); err != nil {
		t.Fatal(err)
	}
	want := lines("1 ExecutionStarted p=0", "2 TaskStateEntered p=0", "3 ActivityScheduled p=2",
		"4 ActivityStarted p=3", "5 ActivityTimedOut p=4", "6 ActivityScheduled p=5", "7 ActivityStarted p=6",
		"8 ActivityFailed p=7", "9 ExecutionFailed p=8")
	if got := h.transcript(); got != want {
		t.Fatalf("transcript:\n%s\nwant:\n%s", got, want)
	}
	if got := h.details(5); got != `{"error":"States.Timeout"}` {
		t.Fatalf("timed out = %s", got)
	}
}

// Reference §3.3 L: an activity deleted before its task is scheduled fails
// the execution with States.Runtime right after TaskStateEntered; Retry
// and Catch do not apply (§1.8) and no Activity* event is logged.
func TestActivityMissingFailsExecution(t *testing.T) {
	const arn = "arn:aws:states:us-east-1:123456789012:activity:adder"
	var asked []string
	def := `{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"` + arn + `",
	 "Retry":[{"ErrorEquals":["States.ALL"]}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Done"}],"End":true},
	 "Done":{"Type":"Succeed"}}}`
	h := newHarnessWith(t, def, `{}`, func(o *Options) {
		o.ActivityExists = func(a string) bool { asked = append(asked, a); return false }
	})
	if got, want := h.transcript(), lines("1 ExecutionStarted p=0", "2 TaskStateEntered p=0", "3 ExecutionFailed p=2"); got != want {
		t.Fatalf("transcript:\n%s\nwant:\n%s", got, want)
	}
	if len(h.invokes) != 0 || h.tokens != 0 || len(asked) != 1 || asked[0] != arn {
		t.Fatalf("invokes %v, tokens %d, asked %v", h.invokes, h.tokens, asked)
	}
	want := `{"error":"States.Runtime","cause":"Internal Error (activity not found). The activity ` + arn + ` does not exist."}`
	if got := h.details(3); got != want {
		t.Fatalf("failed = %s\nwant   %s", got, want)
	}
}

// An existing activity is scheduled as before; the lookup is not asked
// for other resources.
func TestActivityExistsSchedules(t *testing.T) {
	asked := 0
	h := newHarnessWith(t, activityMachine, `{"a":1}`, func(o *Options) {
		o.ActivityExists = func(string) bool { asked++; return true }
	})
	if !h.lastInvoke().Activity || asked != 1 {
		t.Fatalf("invoke %+v, asked %d", h.lastInvoke(), asked)
	}
	h2 := newHarnessWith(t, `{"StartAt":"P","States":{"P":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}`, `{}`,
		func(o *Options) {
			o.ActivityExists = func(string) bool { t.Fatal("asked for a non-activity"); return false }
		})
	_ = h2.lastInvoke()
}
