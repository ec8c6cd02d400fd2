package jsonata

import (
	"fmt"
	"testing"

	"github.com/stepwire/stepwire/emulator/asl/budget"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// BenchmarkFunctions times common JSONata functions over 10^3, 10^4 and
// 10^5 items, with budgets out of the way, to tell linear and n log n
// functions from quadratic ones.
func BenchmarkFunctions(b *testing.B) {
	exprs := []struct{ name, expr string }{
		{"distinct", `$count($distinct($a))`},
		{"distinctObjects", `$count($distinct($o))`},
		{"sort", `$count($sort($a))`},
		{"sortComparator", `$count($sort($a, function($x, $y){ $x > $y }))`},
		{"reduce", `$reduce($a, function($acc, $v){ $acc + $v }, 0)`},
		{"join", `$length($join($s, ","))`},
		{"append", `$count($append($a, $a))`},
		{"filter", `$count($filter($a, function($v){ $v % 2 = 0 }))`},
		{"map", `$count($map($a, function($v){ $v * 2 }))`},
		{"string", `$length($string($o))`},
		{"keys", `$count($keys($o))`},
		{"merge", `$count($keys($merge($o)))`},
		{"spread", `$count($spread($o))`},
		{"split", `$count($split($join($s, ","), ","))`},
		{"replaceRegex", `$length($replace($join($s, ","), /,/, ";"))`},
		{"predicate", `$count($o[k % 2 = 0])`},
		{"groupBy", `$count($keys($o{$string(k % 100): v}))`},
		{"orderBy", `$count($o^(>k))`},
	}
	for _, e := range exprs {
		x, err := Default.Compile(e.expr)
		if err != nil {
			b.Fatal(err)
		}
		for _, n := range []int{1_000, 10_000, 100_000} {
			env := &Env{Vars: benchVars(n), Limits: budget.Limits{Steps: 1 << 50, Bytes: 1 << 50}}
			b.Run(fmt.Sprintf("%s/n=%d", e.name, n), func(b *testing.B) {
				for b.Loop() {
					if _, err := x.Eval(nil, env); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func benchVars(n int) map[string]any {
	a := make([]any, n)
	s := make([]any, n)
	o := make([]any, n)
	for i := range a {
		a[i] = jsonv.IntNumber(int64(i / 2))
		s[i] = fmt.Sprint("s", i%97)
		m := jsonv.NewObject(2)
		m.Set("k", jsonv.IntNumber(int64(i)))
		m.Set("v", fmt.Sprint("v", i))
		o[i] = m
	}
	return map[string]any{"a": a, "s": s, "o": o}
}
