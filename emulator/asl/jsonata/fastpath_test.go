package jsonata

import (
	"testing"

	"github.com/stepwire/stepwire/emulator/asl/budget"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// TestFastPath checks that the fast path gives the engine's answer, or
// none, for every expression it recognises.
func TestFastPath(t *testing.T) {
	doc, err := jsonv.Decode([]byte(`{"n":7,"f":1.50,"big":12345678901234567890,"e":1E3,"s":"x","t":true,"z":null,` +
		`"o":{"b":1.0,"a":[1,2.0,{"c":3e0}],"d":{}},"arr":[1,2],"neg":-2}`))
	if err != nil {
		t.Fatal(err)
	}
	states := jsonv.NewObject(2)
	states.Set("input", doc)
	states.Set("context", jsonv.NewObject(0))
	exprs := []string{
		`$states.input.n`, `$states.input.f`, `$states.input.big`, `$states.input.e`, `$states.input.s`,
		`$states.input.t`, `$states.input.z`, `$states.input.o`, `$states.input.o.a`, `$states.input.o.d`,
		`$states.input.arr`, `$states.input.missing`, `$states.input.s.x`, `$states.input.arr.x`,
		`$states.input`, `$states.context`, `$v.n`, `$nope.n`, `$string.n`,
		`$states.input.n > -2`, `$states.input.n >= 7`, `$states.input.n < 7`, `$states.input.n <= 6.5`,
		`$states.input.n = 7`, `$states.input.n != 7`, `$states.input.s > 1`, `$states.input.z = 1`,
		`$states.input.missing > 1`, `$states.input.big = 12345678901234567890`,
	}
	answered := 0
	for _, text := range exprs {
		e, err := Default.Compile(text)
		if err != nil {
			t.Fatal(err)
		}
		x := e.(*xiaExpr)
		fp := x.fast
		if fp == nil {
			t.Errorf("%s: no fast path", text)
			continue
		}
		x.fast = nil // the engine alone
		for _, limits := range []budget.Limits{{}, {Bytes: 40}} {
			env := &Env{Vars: map[string]any{"states": states, "v": doc}, Limits: limits}
			fast, ok := fp.eval(env)
			want, werr := x.Eval(nil, env)
			if !ok {
				continue
			}
			answered++
			if werr != nil {
				t.Errorf("%s: fast path gave %s, the engine %v", text, jsonv.EncodeString(fast), werr)
				continue
			}
			if got, w := jsonv.EncodeString(fast), jsonv.EncodeString(want); got != w {
				t.Errorf("%s: fast path gave %s, the engine %s", text, got, w)
			}
		}
	}
}

// TestFastPathRecognises lists expressions the fast path leaves alone.
func TestFastPathRecognises(t *testing.T) {
	for _, text := range []string{`$states.input."n"`, `$states.input[0]`, `$states.input.n + 1`, `$states`,
		`$.n`, `$states.input.n > $x`, `$states.input.* `, `$states.input.n in [1]`, `$states.input.n > 1 /* c */`} {
		e, err := Default.Compile(text)
		if err != nil {
			t.Fatal(err)
		}
		if e.(*xiaExpr).fast != nil {
			t.Errorf("%s: fast path", text)
		}
	}
}
