package jsonata

import (
	"testing"

	"github.com/stepwire/stepwire/emulator/asl/budget"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// TestFastExpr checks that fast expressions give the engine's answer, or
// none, with and without the variables they read, and under small budgets.
func TestFastExpr(t *testing.T) {
	doc, err := jsonv.Decode([]byte(`{"n":7,"f":0.1,"g":0.2,"big":1e300,"s":"x","t":true,"z":null,"o":{"a":1},"arr":[1,2],"neg":-2.5}`))
	if err != nil {
		t.Fatal(err)
	}
	states := jsonv.NewObject(2)
	states.Set("input", doc)
	exprs := []string{
		`($exists($total) ? $total : 0) + $states.input.n`, `'s' & $string($states.input.n)`,
		`$states.input.f + $states.input.g`, `$states.input.f * 3`, `$states.input.n - $states.input.neg`,
		`$states.input.big * $states.input.big`, `$string($states.input.f + $states.input.g)`,
		`$string($states.input.big)`, `$string($states.input.t)`, `$string($states.input.s)`,
		`$string($states.input.missing)`, `$string($states.input.o)`, `$exists($states.input.missing)`,
		`$exists($states.input.z)`, `$exists($states.input.o)`, `$states.input.s & $states.input.missing`,
		`$states.input.t ? 'yes' : 'no'`, `$states.input.n ? 1 : 2`, `$states.input.missing ? 1 : 2`,
		`$states.input.t ? 1`, `($states.input.s)`, `$states.input.s + 1`, `$states.input.missing + 1`,
		`"a" & 'b' & 1.5`, `$total`, `$total + 1`, `$exists($total)`, `'x' & $states.input.arr`, `$states.input.n * 1e308 * 10`, `1e-7 & ''`,
		`$states.input.o.a + 1`, `9007199254740992 + 1`, `9007199254740991 + 1`, `-9007199254740992 - 2`, `94906267 * 94906267`,
		`3 * -4`, `$states.input.n - 10`,
	}
	varsets := []map[string]any{
		{"states": states},
		{"states": states, "total": jsonv.Number("3.5")},
		{"states": states, "total": "t"},
		{"states": states, "exists": jsonv.Number("1"), "string": "s", "total": jsonv.NewObject(0)},
	}
	answered := 0
	for _, text := range exprs {
		e, err := Default.Compile(text)
		if err != nil {
			t.Fatal(err)
		}
		x := e.(*xiaExpr)
		fx := x.fx
		if fx == nil {
			t.Errorf("%s: no fast expression", text)
			continue
		}
		for _, vars := range varsets {
			for _, limits := range []budget.Limits{{}, {Bytes: 40}, {Steps: 1}, {Steps: 2000, Bytes: 100 << 10}} {
				env := &Env{Vars: vars, Limits: limits}
				fast, ok := x.evalFastExpr(env)
				x.fx = nil
				want, werr := x.Eval(nil, env)
				x.fx = fx
				if !ok {
					continue
				}
				answered++
				if werr != nil {
					t.Errorf("%s %v: fast expression gave %s, the engine %v", text, vars, jsonv.EncodeString(fast), werr)
					continue
				}
				if got, w := jsonv.EncodeString(fast), jsonv.EncodeString(want); got != w {
					t.Errorf("%s %v: fast expression gave %s, the engine %s", text, vars, got, w)
				}
			}
		}
	}
	if answered < 50 {
		t.Errorf("only %d answers from fast expressions", answered)
	}
}

// TestFastExprLeaves lists expressions left to the engine.
func TestFastExprLeaves(t *testing.T) {
	for _, text := range []string{`$exists($string)`, `$exists($exists)`, `$string & 'x'`, `$states.input.n / 2`,
		`$states.input.n % 2`, `$states.input.n = 1 ? 1 : 2`, `$x := 1`, `($x := 1; $x + 1)`, `$sum([1]) + 1`,
		`$states.input[0] + 1`, `$.n + 1`, `n + 1`, `$string($x, true)`, `$uuid() & 'x'`, `$eval('1') & 'x'`} {
		e, err := Default.Compile(text)
		if err != nil {
			t.Fatal(err)
		}
		if e.(*xiaExpr).fx != nil {
			t.Errorf("%s: fast expression", text)
		}
	}
}
