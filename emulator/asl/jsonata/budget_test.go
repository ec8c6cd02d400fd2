package jsonata

import (
	"errors"
	"strings"
	"testing"
	"time"

	xia "github.com/xiatechs/jsonata-go"

	"github.com/stepwire/stepwire/emulator/asl/budget"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// evalWith compiles and evaluates expr with the given limits.
func evalWith(t *testing.T, expr string, lim budget.Limits, vars map[string]any) (any, error) {
	t.Helper()
	e, err := Default.Compile(expr)
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return e.Eval(nil, &Env{Vars: vars, Limits: lim})
}

// Every expression that ran away before the budgets (issue 9: a string
// doubled 40 times ended the process, $sum([1..1e7]) took 9 s and 1 GB,
// a sort of 1e6 items with a comparator 26 s, a nested $reduce never
// ended) now fails its one evaluation, within the budget, naming the
// limit. The limits are small here so that the test is quick; the
// defaults behave alike, only later.
func TestRunawayExpressionsFailWithinBudget(t *testing.T) {
	lim := budget.Limits{Steps: 50_000, Bytes: 512 << 10}
	big := make([]any, 1000)
	for i := range big {
		big[i] = jsonv.IntNumber(int64(i))
	}
	tests := []struct{ name, expr string }{
		{"string doubled 40 times", `$reduce([1..40], function($acc, $v){ $acc & $acc }, "x")`},
		{"sum of a 1e7 range", `$sum([1..10000000])`},
		{"sort of 1e6 with a comparator", `$sort([1..100000], function($a, $b){ $a < $b })`},
		{"nested reduce without end", `$reduce([1..1000], function($a, $v){ $reduce([1..1000], function($b, $w){ $reduce([1..1000], function($c, $u){ $c + 1 }, $b) }, $a) }, 0)`},
		{"recursion within depth, many calls", `($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $sum([1..1000].$f(999)))`},
		{"array doubled by a constructor", `$reduce([1..60], function($acc, $v){ [$acc, $acc] }, [1])`},
		{"path steps repeating a variable", `$count($x.$x.$x)`},
		{"nested filters over a variable", `$count($x[$x[$x[true]]])`},
		{"pad to a gigabyte", `$pad("", 1000000000)`},
		{"join with a long separator", `$join($map([1..10000], function($v){ "x" }), $pad("", 1000))`},
		{"string of a shared tree", `$string($reduce([1..40], function($acc, $v){ {"a": $acc, "b": $acc} }, {}))`},
		{"replace growing each match", `$replace($join($map([1..10000], function($v){ "a" })), /a/, $pad("", 1000, "b"))`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, err := evalWith(t, tt.expr, lim, map[string]any{"x": big})
			var ex *budget.Exceeded
			if !errors.As(err, &ex) || ex.Limit == budget.Interrupted {
				t.Fatalf("err %v, want a budget exceeded", err)
			}
			if !strings.Contains(err.Error(), "interp.Options.MaxEval") {
				t.Errorf("cause %q does not name the option", err)
			}
			if d := time.Since(start); d > time.Minute {
				t.Errorf("took %v", d)
			}
		})
	}
}

// Work of realistic size stays within the default budgets: a payload of
// 256 KiB (Step Functions' limit) mapped, filtered, sorted and joined.
func TestRealisticWorkloadsFitDefaults(t *testing.T) {
	items := make([]any, 10_000)
	for i := range items {
		o := jsonv.NewObject(2)
		o.Set("id", jsonv.IntNumber(int64(i)))
		o.Set("name", strings.Repeat("n", 16))
		items[i] = o
	}
	vars := map[string]any{"items": items}
	for _, expr := range []string{
		`$count($map($items, function($v){ $merge([$v, {"tag": $uppercase($v.name)}]) }))`,
		`$count($filter($items, function($v){ $v.id % 3 = 0 }))`,
		`$count($sort($items, function($a, $b){ $a.id < $b.id }))`,
		`$length($join($items.name, ","))`,
		`$count($distinct($items.(id % 100)))`,
		`$sum([1..100000])`,
		`$length($string($items))`,
		`$count($items[id > 5000].{"id": id, "n": $length(name)})`,
		`$length($replace($join($items.name), /n/, "mm"))`,
	} {
		if _, err := evalWith(t, expr, budget.Limits{}, vars); err != nil {
			t.Errorf("%s: %v", expr, err)
		}
	}
}

// The budget's hooks leave results as the engine makes them.
func TestInstrumentedExpressionsKeepResults(t *testing.T) {
	tests := []struct{ expr, want string }{
		{`[1..3]`, `[1,2,3]`},
		{`[3..1]`, `[]`},
		{`[0, 1..2, [3..4]]`, `[0,1,2,[3,4]]`},
		{`"a" & 1 & null & true & [1] & {"k": "v"}`, `"a1nulltrue[1]{\"k\":\"v\"}"`},
		{`"a" & $nothing`, `"a"`},
		{`$x.$x`, `[1,2,1,2]`},
		{`$x[$x[0] = 1]`, `[1,2]`},
		{`$x[$i]`, `[1,2]`},
		{`[$x, $x]`, `[1,2,1,2]`},
		{`"abc" ~> $substring(1)`, `"bc"`},
		{`$replace("abcabc", /(b)(c)/, "[$2$1$0$$]")`, `"a[cbbc$]a[cbbc$]"`},
		{`$replace("abcabc", /b/, function($m){ $uppercase($m.match) & $m.index }, 1)`, `"aB1cabc"`},
		{`$replace("abc", "b", "x")`, `"axc"`},
		{`$replace("aaa", /a/, "b", 2)`, `"bba"`},
	}
	vars := map[string]any{"x": []any{jsonv.Number("1"), jsonv.Number("2")}, "i": []any{jsonv.Number("0"), jsonv.Number("1")}}
	for _, tt := range tests {
		for range 2 { // a compiled expression evaluates alike each time
			v, err := evalWith(t, tt.expr, budget.Limits{}, vars)
			if err != nil {
				t.Fatalf("%s: %v", tt.expr, err)
			}
			if got := jsonv.EncodeString(v); got != tt.want {
				t.Errorf("%s = %s, want %s", tt.expr, got, tt.want)
			}
		}
	}
}

// stepwire's $replace with a regex gives what the engine's gives.
func TestReplaceMatchesEngine(t *testing.T) {
	for _, expr := range []string{
		`$replace("hello world", /o/, "0")`,
		`$replace("2024-01-02", /(\d+)-(\d+)-(\d+)/, "$3/$2/$1")`,
		`$replace("a1b22c333", /\d+/, "<$0>")`,
		`$replace("abc", /x*/, "-")`,
		`$replace("abc", /(a)(b)?/, "$12$9$")`,
		`$replace("aXbXc", /X/, "$", 1)`,
	} {
		want, err := xia.MustCompile(expr).Eval(nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := evalWith(t, expr, budget.Limits{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s = %q, engine %q", expr, got, want)
		}
	}
}

// The engine's functions that JSONata does not have are not bound, as in
// Step Functions.
func TestEngineExtrasAreNotFunctions(t *testing.T) {
	for _, expr := range []string{`$timeSince(1)`, `$oneToManyJoin([], [], "a", "b")`, `$sjoin(["a"], ",")`} {
		_, err := evalWith(t, expr, budget.Limits{}, nil)
		var je *Error
		if !errors.As(err, &je) || je.Code != "T1006" {
			t.Errorf("%s: err %v, want T1006", expr, err)
		}
	}
}
