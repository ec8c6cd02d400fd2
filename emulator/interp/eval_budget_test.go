package interp

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stepwire/stepwire/emulator/asl"
)

// small budgets keep the runaway cases quick; the defaults fail them
// alike, only later.
func smallBudgets(o *Options) {
	o.MaxEvalSteps = 200_000
	o.MaxEvalBytes = 4 << 20
}

// jsonataPass is a JSONata machine whose one Pass state outputs expr.
func jsonataPass(expr string) string {
	return fmt.Sprintf(`{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Output":%q,"End":true}}}`, "{% "+expr+" %}")
}

// Each expression that ran away before the budgets (issue 9) fails its
// state with States.QueryEvaluationError and an EvaluationFailed event
// (docs/step-functions.md §1.7), the cause naming the limit and the option
// that sets it; the Machine returns, and the next execution runs.
func TestRunawayJSONataFailsTheState(t *testing.T) {
	tests := []struct{ name, expr, option string }{
		{"string doubled 40 times", `$reduce([1..40], function($acc, $v){ $acc & $acc }, "x")`, "MaxEvalBytes"},
		{"sum of a 1e7 range", `$sum([1..10000000])`, "MaxEvalBytes"},
		{"sort with a comparator", `$sort([1..100000], function($a, $b){ $a < $b })`, "MaxEvalSteps"},
		{"regex replace growing each match", `$replace($join($map([1..10000], function($v){ "a" })), /a/, $pad("", 1000, "b"))`, "MaxEvalBytes"},
		{"nested reduce without end", `$reduce([1..1000], function($a, $v){ $reduce([1..1000], function($b, $w){ $reduce([1..1000], function($c, $u){ $c + 1 }, $b) }, $a) }, 0)`, "MaxEvalSteps"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			h := newHarnessWith(t, jsonataPass(tt.expr), `{}`, smallBudgets)
			if h.last.Status != StatusFailed || h.last.Error != string(asl.StatesQueryEvaluationError) {
				t.Fatalf("status %s, error %s, cause %s", h.last.Status, h.last.Error, h.last.Cause)
			}
			if !strings.Contains(h.last.Cause, "exceeded stepwire's budget") || !strings.Contains(h.last.Cause, "interp.Options."+tt.option) {
				t.Errorf("cause %q does not name %s", h.last.Cause, tt.option)
			}
			want := lines("1 ExecutionStarted p=0", "2 PassStateEntered p=0", "3 EvaluationFailed p=0", "4 ExecutionFailed p=3")
			if got := h.transcript(); got != want {
				t.Errorf("transcript:\n%s\nwant:\n%s", got, want)
			}
			if d := time.Since(start); d > 30*time.Second {
				t.Errorf("took %v", d)
			}
			after := newHarness(t, jsonataPass(`$sum([1..10])`), `{}`)
			if string(after.last.Output) != "55" {
				t.Errorf("next execution output %s", after.last.Output)
			}
		})
	}
}

// docs/step-functions.md §1.6, §1.8: a spent budget is an evaluation
// error like any other: a Retry on States.QueryEvaluationError evaluates
// again, then a Catch moves on with the error output.
func TestSpentBudgetIsRetriedThenCaught(t *testing.T) {
	def := `{"QueryLanguage":"JSONata","StartAt":"T","States":{"T":{"Type":"Task",
	 "Resource":"arn:aws:states:::lambda:invoke","Arguments":{"FunctionName":"f","Payload":"{% $reduce([1..40], function($acc, $v){ $acc & $acc }, 'x') %}"},
	 "Retry":[{"ErrorEquals":["States.QueryEvaluationError"],"IntervalSeconds":1,"MaxAttempts":1}],
	 "Catch":[{"ErrorEquals":["States.ALL"],"Output":"{% $states.errorOutput %}","Next":"D"}],"End":true},
	 "D":{"Type":"Succeed"}}}`
	h := newHarnessWith(t, def, `{}`, smallBudgets)
	h.fireNext()
	if h.last.Status != StatusSucceeded || len(h.invokes) != 0 {
		t.Fatalf("status %s, invokes %v, cause %s", h.last.Status, h.invokes, h.last.Cause)
	}
	want := lines("1 ExecutionStarted p=0", "2 TaskStateEntered p=0", "3 EvaluationFailed p=0",
		"4 EvaluationFailed p=0", "5 TaskStateExited p=4", "6 SucceedStateEntered p=5", "7 SucceedStateExited p=6",
		"8 ExecutionSucceeded p=7")
	if got := h.transcript(); got != want {
		t.Fatalf("transcript:\n%s\nwant:\n%s", got, want)
	}
	out := string(h.last.Output)
	if !strings.Contains(out, `"Error":"States.QueryEvaluationError"`) || !strings.Contains(out, "MaxEvalBytes") {
		t.Errorf("output %s", out)
	}
}

// docs/step-functions.md §1.5, §1.8: intrinsics and paths past a budget
// fail with States.Runtime, which no Catch handles; the cause names the
// limit.
func TestRunawayIntrinsicsAndPathsFailWithRuntime(t *testing.T) {
	s := strings.Repeat("x", 100_000)
	var keys []string
	for i := range 60 {
		keys = append(keys, fmt.Sprintf(`"k%d.$":"$"`, i))
	}
	tests := []struct{ name, params string }{
		{"format repeating a string", `{"v.$":"States.Format('{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}', ` +
			strings.TrimSuffix(strings.Repeat("$.s, ", 48), ", ") + `)"}`},
		{"array of a string, written out", `{"v.$":"States.JsonToString(States.Array($.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s))"}`},
		{"template repeating the input", "{" + strings.Join(keys, ",") + "}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
			 "Parameters":{"FunctionName":"f","Payload":` + tt.params + `},"Catch":[{"ErrorEquals":["States.ALL"],"Next":"D"}],"End":true},"D":{"Type":"Succeed"}}}`
			h := newHarnessWith(t, def, fmt.Sprintf(`{"s":%q}`, s), smallBudgets)
			if h.last.Status != StatusFailed || h.last.Error != string(asl.StatesRuntime) {
				t.Fatalf("status %s, error %s, cause %s", h.last.Status, h.last.Error, h.last.Cause)
			}
			if !strings.Contains(h.last.Cause, "exceeded stepwire's budget") || !strings.Contains(h.last.Cause, "interp.Options.MaxEval") {
				t.Errorf("cause %q does not name the limit", h.last.Cause)
			}
		})
	}
}

// States.ArrayUnique over 20,000 items took 11.9 s (it compared every
// pair); it is linear now and fits the default budgets.
func TestArrayUniqueOfManyItems(t *testing.T) {
	items := make([]string, 20_000)
	for i := range items {
		items[i] = fmt.Sprint(i % 10_000)
	}
	def := `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"n.$":"States.ArrayLength(States.ArrayUnique($.a))"},"End":true}}}`
	start := time.Now()
	h := newHarness(t, def, `{"a":[`+strings.Join(items, ",")+`]}`)
	if string(h.last.Output) != `{"n":10000}` {
		t.Fatalf("status %s, output %s, cause %s", h.last.Status, h.last.Output, h.last.Cause)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

// Options.Interrupt, polled during an evaluation, ends it as a spent
// budget does.
func TestInterruptEndsTheEvaluation(t *testing.T) {
	h := newHarnessWith(t, jsonataPass(`$count([1..100000].($ * 2))`), `{}`, func(o *Options) {
		o.Interrupt = func() bool { return true }
	})
	if h.last.Error != string(asl.StatesQueryEvaluationError) || !strings.Contains(h.last.Cause, "interp.Options.Interrupt") {
		t.Fatalf("error %s, cause %s", h.last.Error, h.last.Cause)
	}
}
