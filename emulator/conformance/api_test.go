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
