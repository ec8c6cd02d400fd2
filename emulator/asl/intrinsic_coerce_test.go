package asl

import (
	"strings"
	"testing"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// The examples of AWS's "Intrinsic functions for JSONPath states" page
// (docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html),
// with two of its typos set right by recordings: the States.Hash example
// drops a digit (the recorded case
// intrinsic_functions.test_hash_calculations__test_hash_exec_hist_resp_1.json
// has aaff...d74485e8cae074b7), and States.Base64Decode of its own
// States.Base64Encode example gives "Data to encode", not "Decoded data".
func TestIntrinsicsDocExamples(t *testing.T) {
	tests := []struct{ call, input, want string }{
		{"States.Array($.Id)", `{"Id":123456}`, `[123456]`},
		{"States.ArrayPartition($.inputArray,4)", `{"inputArray":[1,2,3,4,5,6,7,8,9]}`, `[[1,2,3,4],[5,6,7,8],[9]]`},
		{"States.ArrayContains($.inputArray, $.lookingFor)", `{"inputArray":[1,2,3,4,5,6,7,8,9],"lookingFor":5}`, `true`},
		{"States.ArrayRange(1, 9, 2)", `{}`, `[1,3,5,7,9]`},
		{"States.ArrayGetItem($.inputArray, $.index)", `{"inputArray":[1,2,3,4,5,6,7,8,9],"index":5}`, `6`},
		{"States.ArrayLength($.inputArray)", `{"inputArray":[1,2,3,4,5,6,7,8,9]}`, `9`},
		{"States.ArrayUnique($.inputArray)", `{"inputArray":[1,2,3,3,3,3,3,3,4]}`, `[1,2,3,4]`},
		{"States.Base64Encode($.input)", `{"input":"Data to encode"}`, `"RGF0YSB0byBlbmNvZGU="`},
		{"States.Base64Decode($.base64)", `{"base64":"RGF0YSB0byBlbmNvZGU="}`, `"Data to encode"`},
		{"States.Hash($.Data, $.Algorithm)", `{"Data":"input data","Algorithm":"SHA-1"}`, `"aaff4a450a104cd177d28d18d74485e8cae074b7"`},
		{"States.JsonMerge($.json1, $.json2, false)", `{"json1":{"a":{"a1":1,"a2":2},"b":2},"json2":{"a":{"a3":1,"a4":2},"c":3}}`, `{"a":{"a3":1,"a4":2},"b":2,"c":3}`},
		{"States.StringToJson($.escapedJsonString)", `{"escapedJsonString":"{\"foo\": \"bar\"}"}`, `{"foo":"bar"}`},
		{"States.JsonToString($.unescapedJson)", `{"unescapedJson":{"foo":"bar"}}`, `"{\"foo\":\"bar\"}"`},
		{"States.MathAdd($.value1, $.step)", `{"value1":111,"step":-1}`, `110`},
		{"States.StringSplit($.inputString, $.splitter)", `{"inputString":"1,2,3,4,5","splitter":","}`, `["1","2","3","4","5"]`},
		{"States.StringSplit($.inputString, $.splitter)", `{"inputString":"This.is+a,test=string","splitter":".+,="}`, `["This","is","a","test","string"]`},
		{"States.Format('Hello, my name is {}.', $.name)", `{"name":"Arnav","template":"Hello, my name is {}."}`, `"Hello, my name is Arnav."`},
		{"States.Format($.template, $.name)", `{"name":"Arnav","template":"Hello, my name is {}."}`, `"Hello, my name is Arnav."`},
	}
	for _, tt := range tests {
		got, err := evalCallText(t, tt.call, tt.input)
		if err != nil {
			t.Errorf("%s: %v", tt.call, err)
			continue
		}
		if s := jsonv.EncodeString(got); s != tt.want {
			t.Errorf("%s on %s = %s, want %s", tt.call, tt.input, s, tt.want)
		}
	}
}

// "If you specify a non-integer value ..., Step Functions will round it
// off to the nearest integer" — the page says so of States.ArrayPartition's
// chunk size, every States.ArrayRange argument, States.MathRandom's start
// and end, and States.MathAdd. Rounding is Java's Math.round, half up; the
// MathAdd rows are recorded cases
// (intrinsic_functions.test_math_operations__test_math_add_exec_hist_resp_N.json).
// States.ArrayGetItem's index is documented as an integer with no
// rounding rule, and no recording shows one: a fraction is refused.
func TestIntrinsicsRoundNonIntegers(t *testing.T) {
	tests := []struct{ call, input, want string }{
		{"States.MathAdd($.a, $.b)", `{"a":1.49,"b":1.5}`, `3`},   // resp_1
		{"States.MathAdd($.a, $.b)", `{"a":1.5,"b":1.51}`, `4`},   // resp_2
		{"States.MathAdd($.a, $.b)", `{"a":-1.5,"b":0}`, `-1`},    // resp_10
		{"States.MathAdd($.a, $.b)", `{"a":-1.51,"b":0}`, `-2`},   // resp_11
		{"States.MathAdd($.a, $.b)", `{"a":0.5,"b":0}`, `1`},      // resp_12
		{"States.MathAdd($.a, $.b)", `{"a":-0.5,"b":0.5}`, `1`},   // resp_16
		{"States.MathAdd($.a, $.b)", `{"a":1.49,"b":-1.49}`, `0`}, // resp_6
		{"States.ArrayPartition($.a, 1.5)", `{"a":[1,2,3]}`, `[[1,2],[3]]`},
		{"States.ArrayPartition($.a, $.n)", `{"a":[1,2,3],"n":2.4}`, `[[1,2],[3]]`},
		{"States.ArrayRange(0.6, 4.4, 1.5)", `{}`, `[1,3]`},
		{"States.ArrayRange($.a, $.b, $.c)", `{"a":1.0,"b":3e0,"c":1}`, `[1,2,3]`},
	}
	for _, tt := range tests {
		got, err := evalCallText(t, tt.call, tt.input)
		if err != nil {
			t.Errorf("%s on %s: %v", tt.call, tt.input, err)
			continue
		}
		if s := jsonv.EncodeString(got); s != tt.want {
			t.Errorf("%s on %s = %s, want %s", tt.call, tt.input, s, tt.want)
		}
	}
	// MathRandom: start and end rounded, the end exclusive ("between the
	// specified start number (inclusive) and end number (exclusive)").
	var lo, hi int64
	c, err := parseCall("States.MathRandom($.s, $.e)")
	if err != nil {
		t.Fatal(err)
	}
	in, _ := jsonv.DecodeString(`{"s":12.5,"e":44.51}`) // LocalStack's test_math_random, run on AWS
	env := &Env{Input: in, Random: func(l, h int64) int64 { lo, hi = l, h; return l }}
	if v, err := c.Eval(env); err != nil || jsonv.EncodeString(v) != "13" || lo != 13 || hi != 44 {
		t.Errorf("MathRandom(12.5, 44.51) = %v, %v; drew from [%d, %d], want [13, 44]", v, err, lo, hi)
	}
}

// What the page says an argument must be, refused at run time with
// States.Runtime ("Function 'States.X' failed: ...").
func TestIntrinsicsRefuse(t *testing.T) {
	long := strings.Repeat("x", maxIntrinsicChars+1)
	tests := []struct{ call, input string }{
		{"States.ArrayPartition($.a, 0)", `{"a":[1]}`},   // "a non-zero, positive integer"
		{"States.ArrayPartition($.a, 0.4)", `{"a":[1]}`}, // rounds to 0
		{"States.ArrayPartition($.a, 2)", `{"a":"1,2"}`}, // "an array as the input value"
		{"States.ArrayRange(1, 9, 0)", `{}`},             // "a non-zero value for the third argument"
		{"States.ArrayRange(1, 9, 0.4)", `{}`},           // rounds to 0
		{"States.ArrayRange(0, 1000, 1)", `{}`},          // 1001 items, "can't contain more than 1000"
		{"States.ArrayGetItem($.a, 1.5)", `{"a":[1,2,3]}`},
		{"States.MathAdd($.a, 1)", `{"a":2147483648}`}, // "in the range of -2147483648 and 2147483647"
		{"States.MathAdd($.a, 1)", `{"a":"1"}`},
		{"States.MathRandom(5, 5)", `{}`}, // the end is exclusive: nothing to draw
		{"States.Base64Encode($.s)", `{"s":"` + long + `"}`},
		{"States.Base64Decode($.s)", `{"s":"` + long + `"}`},
		{"States.Hash($.s, 'MD5')", `{"s":"` + long + `"}`},
		{"States.Hash('a', 'SHA-224')", `{}`},
	}
	for _, tt := range tests {
		c, err := parseCall(tt.call)
		if err != nil {
			t.Fatal(err)
		}
		in, _ := jsonv.DecodeString(tt.input)
		v, err := c.Eval(&Env{Input: in, Random: func(l, _ int64) int64 { return l }})
		if err == nil {
			t.Errorf("%s = %s, want an error", tt.call, jsonv.EncodeString(v))
			continue
		}
		if ee, ok := err.(*EvalError); !ok || !strings.HasPrefix(ee.Msg, "Function '") {
			t.Errorf("%s: %T %v, want an EvalError naming the function", tt.call, err, err)
		}
	}
	// The limits themselves are accepted; they count UTF-16 code units.
	at := strings.Repeat("é", maxIntrinsicChars)
	if _, err := evalCallText(t, "States.Base64Encode($.s)", `{"s":"`+at+`"}`); err != nil {
		t.Errorf("10,000 characters: %v", err)
	}
	if _, err := evalCallText(t, "States.Hash($.s, 'MD5')", `{"s":"`+strings.Repeat("😀", maxIntrinsicChars/2+1)+`"}`); err == nil {
		t.Error("5,001 characters outside the BMP (10,002 UTF-16 units) accepted")
	}
}
