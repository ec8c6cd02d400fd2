package interp

import "testing"

const queryRetryMachine = `{"QueryLanguage":"JSONata","StartAt":"T","States":{"T":{"Type":"Task",
 "Resource":"arn:aws:states:::lambda:invoke","Arguments":{"FunctionName":"f","Payload":"{% $states.input.n + $missing %}"},
 "Retry":[{"ErrorEquals":["States.QueryEvaluationError"],"IntervalSeconds":2,"MaxAttempts":1}],
 "Catch":[{"ErrorEquals":["States.QueryEvaluationError"],"Output":"{% $states.errorOutput.Error %}","Next":"D"}],"End":true},
 "D":{"Type":"Succeed"}}}`

// Reference §1.8: States.QueryEvaluationError is retriable. A Retry that
// matches it starts the attempt again after its interval (the Arguments
// are evaluated anew); once the retrier is spent the Catch applies.
func TestQueryEvaluationErrorRetried(t *testing.T) {
	h := newHarness(t, queryRetryMachine, `{"n":1}`)
	if len(h.invokes) != 0 || len(h.timers) != 1 {
		t.Fatalf("invokes %v, timers %v: want one retry timer", h.invokes, h.timers)
	}
	h.fireNext()
	if got := h.now.Sub(t0).Seconds(); got != 2 {
		t.Fatalf("retried after %vs, want 2", got)
	}
	want := lines("1 ExecutionStarted p=0", "2 TaskStateEntered p=0", "3 EvaluationFailed p=0",
		"4 EvaluationFailed p=0", "5 TaskStateExited p=4", "6 SucceedStateEntered p=5", "7 SucceedStateExited p=6",
		"8 ExecutionSucceeded p=7")
	if got := h.transcript(); got != want {
		t.Fatalf("transcript:\n%s\nwant:\n%s", got, want)
	}
	if h.last.Output == nil || string(h.last.Output) != `"States.QueryEvaluationError"` {
		t.Fatalf("output = %s", h.last.Output)
	}
}

// A Retry that does not name the error leaves it to Catch at once.
func TestQueryEvaluationErrorNotRetriedByOtherNames(t *testing.T) {
	def := `{"QueryLanguage":"JSONata","StartAt":"T","States":{"T":{"Type":"Task",
	 "Resource":"arn:aws:states:::lambda:invoke","Arguments":"{% $missing %}",
	 "Retry":[{"ErrorEquals":["States.Timeout"]}],"End":true}}}`
	h := newHarness(t, def, `{}`)
	if len(h.timers) != 0 || h.last.Status != StatusFailed || h.last.Error != "States.QueryEvaluationError" {
		t.Fatalf("timers %v, status %s, error %s", h.timers, h.last.Status, h.last.Error)
	}
}
