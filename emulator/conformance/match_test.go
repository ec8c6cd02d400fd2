package conformance

import (
	"testing"
	"time"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

func decode(t *testing.T, s string) any {
	t.Helper()
	v, err := jsonv.DecodeString(s)
	if err != nil {
		t.Fatalf("decode %s: %v", s, err)
	}
	return v
}

func TestMatch(t *testing.T) {
	for _, tc := range []struct {
		want, got string
		ok        bool
	}{
		{`"<arn>"`, `"arn:aws:states:x"`, true},
		{`"<arn>"`, `5`, true}, // a whole placeholder matches any value
		{`"Execution Does Not Exist: '<arn>'"`, `"Execution Does Not Exist: 'arn:x'"`, true},
		{`"a <uuid> b"`, `"a 1-2 c"`, false},
		{`{"a":1,"b":[1,"<any>"]}`, `{"b":[1,"zz"],"a":1}`, true},
		{`{"a":1}`, `{"a":1,"b":2}`, false},
		{`[1,2]`, `[1]`, false},
		{`1.0`, `1`, true},
		{`"x.y"`, `"xay"`, false},
	} {
		if got := match(decode(t, tc.want), decode(t, tc.got)); got != tc.ok {
			t.Errorf("match(%s, %s) = %v, want %v", tc.want, tc.got, got, tc.ok)
		}
	}
}

func TestMatchText(t *testing.T) {
	for _, tc := range []struct {
		want, got string
		ok        bool
	}{
		{`"States.Timeout"`, `States.Timeout`, true},
		{`{"errorMessage":"x"}`, `{"errorMessage": "x"}`, true},
		{`{"errorMessage":"x"}`, `not json`, false},
		{`"<any>"`, ``, true},
	} {
		if got := matchText(decode(t, tc.want), tc.got); got != tc.ok {
			t.Errorf("matchText(%s, %q) = %v, want %v", tc.want, tc.got, got, tc.ok)
		}
	}
}

func TestSubstitute(t *testing.T) {
	results := []*jsonv.Object{obj("stateMachineArn", "arn:sm", "nested", obj("n", jsonv.IntNumber(3)))}
	for _, tc := range []struct{ in, want string }{
		{`{"a":"${0.stateMachineArn}"}`, `{"a":"arn:sm"}`},
		{`["x-${0.stateMachineArn}-y","${roleArn}"]`, `["x-arn:sm-y","` + roleArn + `"]`},
		{`"${0.nested.n}"`, `"3"`},
		{`"${region}:${account}"`, `"us-east-1:123456789012"`},
		{`"${5.missing}"`, `"${5.missing}"`},
	} {
		got := jsonv.EncodeString(substitute(decode(t, tc.in), results))
		if got != tc.want {
			t.Errorf("substitute(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestSubstituteNow(t *testing.T) {
	now := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct{ in, want string }{
		{`{"t":"${now}"}`, `{"t":"2024-01-02T03:04:05"}`},
		{`"${now+65s}Z"`, `"2024-01-02T03:05:10Z"`},
		{`"plain"`, `"plain"`},
	} {
		if got := substituteNow(tc.in, now); got != tc.want {
			t.Errorf("substituteNow(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
