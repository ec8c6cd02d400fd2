package asl

import (
	"errors"
	"strings"
	"testing"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// FuzzParse parses arbitrary definition text as STANDARD and EXPRESS. A
// refusal is a *DefinitionError listing at least one problem, each with a
// code and a message, worded the same on every parse; an accepted
// definition starts at one of its states.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`,
		`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","Parameters":{"Payload":{"Input.$":"$","TaskToken.$":"$$.Task.Token"}},"HeartbeatSeconds":5,"TimeoutSeconds":60,"Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":3,"BackoffRate":2.5,"JitterStrategy":"FULL"}],"Catch":[{"ErrorEquals":["States.Timeout"],"Next":"F"}],"End":true},"F":{"Type":"Fail","Error":"E","Cause":"C"}}}`,
		`{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"And":[{"Variable":"$.a","NumericGreaterThan":1},{"Not":{"Variable":"$.b","StringMatches":"x*"}}],"Next":"S"}],"Default":"S"},"S":{"Type":"Succeed"}}}`,
		`{"StartAt":"W","States":{"W":{"Type":"Wait","Timestamp":"2016-03-14T01:59:00Z","Next":"M"},"M":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":2,"ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"Next":"P"},"P":{"Type":"Parallel","Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}],"End":true}}}`,
		`{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Output":"{% $reduce([1..40], function($acc, $i){ $acc & $acc }, 'x') %}","Assign":{"v":"{% $sum([1..10000000]) %}"},"End":true}}}`,
		`{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"u.$":"States.ArrayUnique(States.ArrayRange(1, 20000, 1))","f.$":"States.Format('{} {}', $.a, States.StringToJson('{\"x\":1}'))"},"End":true}}}`,
		`{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"}}}`,
		`{"StartAt":"P","States":{"P":{"Type":"Pass","End":true},"P":{"Type":"Pass","End":true}}}`,
		`{"StartAt":"P","TimeoutSeconds":99999999999999999999,"States":{"P":{"Type":"Wait","Seconds":1e309,"End":true}}}`,
		`{"StartAt":"\ud800","States":{"\ud800":{"Type":"Pass","End":true}}}`,
		"{\"StartAt\":\"\xff\",\"States\":{\"\xff\":{\"Type\":\"Pass\",\"End\":true}}}",
		`{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}`,
		`[]`, `null`, ``, `{`, `{"StartAt":1,"States":[]}`,
		`{"StartAt":"P","States":{"P":` + strings.Repeat(`{"a":`, 5000) + `1` + strings.Repeat(`}`, 5000) + `}}`,
		`{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[` + strings.Repeat(`{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[`, 200) +
			`{"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}}` + strings.Repeat(`]}}}`, 200) + `]}}}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, def string) {
		for _, typ := range []string{TypeStandard, TypeExpress} {
			checkParse(t, def, typ)
		}
	})
}

// FuzzParseField puts arbitrary text into one expression field of a
// small definition: JSONata fields (compiled, never evaluated), JSONPath
// paths, intrinsic function calls, Choice comparisons and timestamps. The
// properties are FuzzParse's.
func FuzzParseField(f *testing.F) {
	seeds := []string{
		`$.a`, `$$.Execution.Input`, `$.a[?(@.b > 1)]`, `$.arr[1:3]`, `$..a`, `$`, `$[`,
		`States.ArrayUnique(States.ArrayRange(1, 20000, 1))`, `States.Format('{}', States.Array(1, 'a', null, true))`,
		`States.StringToJson('{"a":[1,2]}')`, `States.Hash($.a, 'SHA-512')`, `States.MathRandom(1, 9999999999999999999)`,
		`States.Nope()`, `States.Format('\{\}\'', $.a)`, `States.Array(` + strings.Repeat(`States.Array(`, 500) + strings.Repeat(`)`, 501),
		`{% $states.input %}`, `{% $sum([1..10000000]) %}`, `{% $reduce([1..40], function($acc, $i){ $acc & $acc }, "x") %}`,
		`{% $sort([1..1000000], function($a, $b){ $a < $b }) %}`, `{% $replace($join([1..200000].("a")), /(a+)+b/, "c") %}`,
		`{% ($f := function($x){ $f($x + 1) }; $f(1)) %}`, `{% %}`, `{% "unterminated %}`, `{%`, `%}`,
		`2016-03-14T01:59:00Z`, `2016-02-30T25:61:61.999999999+99:99`, `x*y\*z`,
	}
	for i, s := range seeds {
		f.Add(uint8(i), s)
	}
	f.Fuzz(func(t *testing.T, slot uint8, text string) {
		def := fieldTemplates[int(slot)%len(fieldTemplates)]
		def = strings.ReplaceAll(def, "TEXT", jsonv.EncodeString(text))
		checkParse(t, def, TypeStandard)
	})
}

// fieldTemplates are definitions with one field replaced by the fuzzed
// text, as a JSON string literal.
var fieldTemplates = []string{
	`{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Output":TEXT,"End":true}}}`,
	`{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Assign":{"v":TEXT},"Output":{"a":[TEXT]},"End":true}}}`,
	`{"QueryLanguage":"JSONata","StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Condition":TEXT,"Next":"S"}],"Default":"S"},"S":{"Type":"Succeed"}}}`,
	`{"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map","Items":TEXT,"ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"End":true}}}`,
	`{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"x.$":TEXT},"End":true}}}`,
	`{"StartAt":"P","States":{"P":{"Type":"Pass","InputPath":TEXT,"ResultPath":TEXT,"OutputPath":TEXT,"End":true}}}`,
	`{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":TEXT,"IsPresent":true,"Next":"S"},{"Variable":"$.a","StringMatches":TEXT,"Next":"S"},{"Variable":"$.a","TimestampEquals":TEXT,"Next":"S"}],"Default":"S"},"S":{"Type":"Succeed"}}}`,
	`{"StartAt":"W","States":{"W":{"Type":"Wait","Timestamp":TEXT,"Next":"V"},"V":{"Type":"Wait","SecondsPath":TEXT,"End":true}}}`,
	`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":TEXT,"End":true}}}`,
	`{"StartAt":"P","States":{"P":{"Type":"Pass","Assign":{"v.$":TEXT},"ResultSelector":{"r.$":TEXT},"End":true}}}`,
}

// checkParse parses def and checks the properties every parse must have.
func checkParse(t *testing.T, def, typ string) {
	t.Helper()
	d, err := Parse([]byte(def), Options{Type: typ})
	if err != nil {
		var de *DefinitionError
		if !errors.As(err, &de) || len(de.Problems) == 0 {
			t.Fatalf("Parse error %#v, want a *DefinitionError with problems", err)
		}
		for _, p := range de.Problems {
			if p.Code == "" || p.Message == "" {
				t.Fatalf("problem without code or message: %#v", p)
			}
		}
		if _, err2 := Parse([]byte(def), Options{Type: typ}); err2 == nil || err2.Error() != err.Error() {
			t.Fatalf("Parse not deterministic:\n%v\nthen\n%v", err, err2)
		}
		return
	}
	if d.States[d.StartAt] == nil || len(d.Names) != len(d.States) {
		t.Fatalf("accepted definition starts at %q, has states %v", d.StartAt, d.Names)
	}
}
