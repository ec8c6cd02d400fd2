package jsonata

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// expensiveExprs are expressions whose evaluation is costly or unbounded
// (a string doubled 40 times, a 10^7-item range, a 10^6-item sort with a
// comparator, a regex over 200k characters, a non-terminating nested
// $reduce, unbounded recursion). The fuzz targets only compile them: their
// evaluation is the business of the evaluation budgets, not of a fuzz run.
var expensiveExprs = []string{
	`$reduce([1..40], function($acc, $i){ $acc & $acc }, "x")`,
	`$sum([1..10000000])`,
	`$sort([1..1000000], function($a, $b){ $a < $b })`,
	`$replace($join([1..200000].("a")), /(a+)+b/, "c")`,
	`$reduce([1..1000000], function($a, $i){ $reduce([1..1000000], function($b, $j){ $b + $j }, $a) }, 0)`,
	`($f := function($x){ $f($x + 1) }; $f(1))`,
	`$string($states.input) ~> $split("") ~> $map(function($c){ $c & $c })`,
}

// FuzzCompile compiles arbitrary JSONata text (never evaluating it). A
// failure is an *Error with a syntax code (S0...); a success lists its
// variables and references the same way on every compile.
func FuzzCompile(f *testing.F) {
	seeds := append([]string{
		``, `$`, `$$`, `$states.input.a`, `{"a": 1, "b": [1, 2]}`, `$x := 1; $x`,
		`function($a){ $a }`, `λ($a)<n:n>{ $a }`, `a.b[0].c`, `a[b > 1]^(>c)`, `/re/i`,
		`$parse("{}")`, `$partition([1,2,3], 2)`, `$hash("x", "sha256")`,
		`$now() & $millis() & $random() & $uuid()`, `"unterminated`, `/unterminated`, `(((`,
		`1e999999`, `99999999999999999999999999999`, `"\u00"`, `"\ud800"`, "\"\xff\"",
		`$.{$string($): $}`, `$states.input ~> |$|{"a": 1}, ["b"]|`, `a ? b : c ?: d ?? e`,
		strings.Repeat("(", 3000) + "1" + strings.Repeat(")", 3000),
		strings.Repeat("[", 3000) + strings.Repeat("]", 3000),
		strings.Repeat("-", 5000) + "1",
		"1" + strings.Repeat("+1", 5000),
	}, expensiveExprs...)
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		x, err := Default.Compile(text)
		if err != nil {
			var je *Error
			if !errors.As(err, &je) || !strings.HasPrefix(je.Code, "S0") {
				t.Fatalf("Compile(%q) error %#v, want an *Error with a syntax code", text, err)
			}
			return
		}
		y, err := Default.Compile(text)
		if err != nil {
			t.Fatalf("second Compile(%q) failed: %v", text, err)
		}
		if !slices.Equal(x.Vars(), y.Vars()) || !slices.Equal(x.Refs().TopLevel, y.Refs().TopLevel) ||
			!slices.Equal(x.Refs().States, y.Refs().States) {
			t.Fatalf("Compile(%q) not deterministic: %v %+v, then %v %+v", text, x.Vars(), x.Refs(), y.Vars(), y.Refs())
		}
	})
}
