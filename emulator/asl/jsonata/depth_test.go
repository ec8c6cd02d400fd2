package jsonata

import (
	"errors"
	"sync"
	"testing"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// A recursion without end must fail the one evaluation, not the process:
// JSONata in JavaScript stops it with an error (U1001 in the reference
// JSONata's catalogue), and Step Functions reports a JSONata evaluation
// error as States.QueryEvaluationError (docs/step-functions.md §1.7, §1.8).
func TestUnboundedRecursionFails(t *testing.T) {
	for _, expr := range []string{
		`($f := function($x){ $f($x+1) }; $f(1))`,
		`($f := function($x){ 1 + $f($x) }; $f(1))`,
		// Mutual recursion, a typed function and a call through $map.
		`($a := function($x){ $b($x) }; $b := function($x){ $a($x) }; $a(0))`,
		`($f := function($x)<n:n>{ $f($x) }; $f(1))`,
		`($f := function($x){ $map([$x], $f) }; $f(1))`,
	} {
		e, err := Default.Compile(expr)
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		_, err = e.Eval(jsonv.NewObject(0), &Env{})
		var je *Error
		if !errors.As(err, &je) || je.Code != "U1001" {
			t.Errorf("%s: err %v, want U1001", expr, err)
		}
	}
}

// Bounded recursion and many calls that do not nest keep working, and a
// function's result (null included) comes back as the body produced it.
func TestFunctionsWithinDepth(t *testing.T) {
	tests := []struct{ expr, want string }{
		{`($f := function($n){ $n <= 1 ? 1 : $n * $f($n - 1) }; $f(10))`, `3628800`},
		{`($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(900))`, `900`},
		{`$sum($map([1..5000], function($v){ $v }))`, `12502500`},
		{`(function(){ null })()`, `null`},
		{`[(function(){ [] })(), 1]`, `[1]`},
		{`($adder := function($a){ function($b){ $a + $b } }; $adder(2)(3))`, `5`},
		{`($g := function(){ function(){ $.missing } }; $h := $g(); [$h(), "x"])`, `["x"]`},
		{`$map([1, 2], function($v, $i){ $i })`, `[0,1]`},
		{`$__stepwire_enter := 1`, `1`},
	}
	env := &Env{Vars: map[string]any{"__stepwire_enter": jsonv.Number("7")}}
	for _, tt := range tests {
		e, err := Default.Compile(tt.expr)
		if err != nil {
			t.Fatalf("%s: %v", tt.expr, err)
		}
		got, err := e.Eval(jsonv.NewObject(0), env)
		if err != nil {
			t.Errorf("%s: %v", tt.expr, err)
			continue
		}
		if s := jsonv.EncodeString(got); s != tt.want {
			t.Errorf("%s = %s, want %s", tt.expr, s, tt.want)
		}
	}
}

// A compiled expression is shared by executions: each evaluation counts
// its own calls.
func TestDepthCountedPerEvaluation(t *testing.T) {
	e, err := Default.Compile(`($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f($.n))`)
	if err != nil {
		t.Fatal(err)
	}
	in := jsonv.NewObject(1)
	in.Set("n", jsonv.Number("600"))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 3 {
				if got, err := e.Eval(in, &Env{}); err != nil || jsonv.EncodeString(got) != "600" {
					t.Errorf("got %v, %v", got, err)
				}
			}
		})
	}
	wg.Wait()
}
