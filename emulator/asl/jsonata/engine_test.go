package jsonata

import (
	"errors"
	"testing"
	"time"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// TestEval covers the expressions the recorded AWS cases use
// (jsonata_variables and intrinsic_functions categories) and the Step
// Functions additions.
func TestEval(t *testing.T) {
	input := `{"a":1,"s":"x","arr":[0,1,2,3],"n":null,"done":true,"FunctionInput":"{\"Arg1\": 1}"}`
	vars := map[string]any{"v": jsonv.Number("2"), "nul": nil}
	tests := []struct{ expr, want string }{
		{`$.a`, `1`},
		{`$v`, `2`},
		{`$nul`, `null`},
		{`$.n`, `null`},
		{`$sum($.arr) + $v`, `8`},
		{`$not($.done)`, `false`},
		{`$number("2")`, `2`},
		{`$contains("hello$world", /^hello\$/)`, `true`},
		{`$contains('hello$world', /^hello\ /)`, `false`},
		{`{'foo': 'bar'}`, `{"foo":"bar"}`},
		{`[]`, `[]`},
		{`$partition($.arr, 3)`, `[[0,1,2],[3]]`},
		{`$partition([0], 2)`, `[[0]]`},
		{`$range(0, 9, 3)`, `[0,3,6,9]`},
		{`$range(1, 9, 9)`, `1`},
		{`$parse($.FunctionInput)`, `{"Arg1":1}`},
		{`$parse("-0")`, `0`},
		{`$hash("a", "MD5")`, `"0cc175b9c0f1b6a831c399e269772661"`},
		{`$uuid()`, `"u-1"`},
		{`$millis()`, `1713421109000`},
		{`$now()`, `"2024-04-18T06:18:29.000Z"`},
		{`$random()`, `0.5`},
		{`$variable := 1`, `1`},
		{`0.5 + 0.25`, `0.75`},
		{`1e21`, `1e+21`},
	}
	env := &Env{Vars: vars, Now: time.Date(2024, 4, 18, 6, 18, 29, 0, time.UTC),
		UUID: func() string { return "u-1" }, Random: func(lo, hi int64) int64 { return (hi + 1) / 2 }}
	in, _ := jsonv.DecodeString(input)
	for _, tt := range tests {
		e, err := Default.Compile(tt.expr)
		if err != nil {
			t.Errorf("%s: compile: %v", tt.expr, err)
			continue
		}
		got, err := e.Eval(in, env)
		if err != nil {
			t.Errorf("%s: %v", tt.expr, err)
			continue
		}
		if s := jsonv.EncodeString(got); s != tt.want {
			t.Errorf("%s = %s, want %s", tt.expr, s, tt.want)
		}
	}
}

func TestEvalFailures(t *testing.T) {
	env := &Env{}
	tests := []struct {
		expr string
		want error
		code string
	}{
		{`$doesNotExist`, ErrUndefined, ""},
		{`$.missing`, ErrUndefined, ""},
		{`$fn := function($x){$x}`, ErrUnsupported, ""},
		{`$doesNotExist()`, nil, "T1006"},
		{`"a" + 1`, nil, "T2001"},
		// Step Functions removes $eval (docs/step-functions.md §1.7).
		{`$eval("1 + 1")`, nil, "T1006"},
	}
	for _, tt := range tests {
		e, err := Default.Compile(tt.expr)
		if err != nil {
			t.Fatalf("%s: %v", tt.expr, err)
		}
		_, err = e.Eval(jsonv.NewObject(0), env)
		var je *Error
		switch {
		case tt.want != nil && !errors.Is(err, tt.want):
			t.Errorf("%s: err %v, want %v", tt.expr, err, tt.want)
		case tt.code != "" && (!errors.As(err, &je) || je.Code != tt.code):
			t.Errorf("%s: err %v, want code %s", tt.expr, err, tt.code)
		}
	}
	if _, err := Default.Compile(`$x := `); err == nil {
		t.Error("syntax error not reported")
	}
}
