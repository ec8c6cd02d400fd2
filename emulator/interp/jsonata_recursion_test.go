package interp

import (
	"strings"
	"testing"

	"github.com/stepwire/stepwire/emulator/asl"
)

// A JSONata function that calls itself without end fails its state with
// States.QueryEvaluationError (docs/step-functions.md §1.7: evaluation errors are
// reported with an EvaluationFailed event and that error name; §1.8: it is
// catchable) instead of overflowing the stack of the whole emulator.
func TestJSONataRecursionFailsTheState(t *testing.T) {
	def := `{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass",
	 "Output":"{% ($f := function($x){ $f($x+1) }; $f(1)) %}","End":true}}}`
	h := newHarness(t, def, `{}`)
	if h.last.Status != StatusFailed || h.last.Error != string(asl.StatesQueryEvaluationError) {
		t.Fatalf("status %s, error %s", h.last.Status, h.last.Error)
	}
	if !strings.Contains(h.last.Cause, "U1001") || !strings.Contains(h.last.Cause, "recursion depth") {
		t.Fatalf("cause %q does not say the recursion depth is limited", h.last.Cause)
	}
	want := lines("1 ExecutionStarted p=0", "2 PassStateEntered p=0", "3 EvaluationFailed p=0", "4 ExecutionFailed p=3")
	if got := h.transcript(); got != want {
		t.Fatalf("transcript:\n%s\nwant:\n%s", got, want)
	}
}

// Recursion that ends within the bound evaluates as usual.
func TestJSONataShallowRecursion(t *testing.T) {
	def := `{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass",
	 "Output":"{% ($f := function($n){ $n <= 1 ? 1 : $n * $f($n - 1) }; $f($states.input.n)) %}","End":true}}}`
	h := newHarness(t, def, `{"n":10}`)
	if h.last.Status != StatusSucceeded || string(h.last.Output) != "3628800" {
		t.Fatalf("status %s, output %s, cause %s", h.last.Status, h.last.Output, h.last.Cause)
	}
}
