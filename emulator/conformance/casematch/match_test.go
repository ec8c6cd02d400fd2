package casematch

import (
	"testing"

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

// The conformance README: placeholders stand for run-specific values; a
// whole-value placeholder matches any value, one inside a string any text.
func TestValue(t *testing.T) {
	for _, tc := range []struct {
		want, got string
		ok        bool
	}{
		{`"<arn>"`, `"arn:aws:states:x"`, true},
		{`"<arn>"`, `5`, true},
		{`"Execution Does Not Exist: '<arn>'"`, `"Execution Does Not Exist: 'arn:x'"`, true},
		{`"a <uuid> b"`, `"a 1-2 c"`, false},
		{`{"a":1,"b":[1,"<any>"]}`, `{"b":[1,"zz"],"a":1}`, true},
		{`{"a":1}`, `{"a":1,"b":2}`, false},
		{`[1,2]`, `[1]`, false},
		{`1.0`, `1`, true},
		{`"x.y"`, `"xay"`, false},
		// A value the recording replaced by reference, its name a
		// placeholder (callback.test_callback__test_sqs_wait_for_task_token_timeout).
		{`{"TaskToken":"<<token>:1>"}`, `{"TaskToken":"AAAA+bb/cc="}`, true},
		{`"<<token>:12>"`, `5`, true},
		{`"<<token>:>"`, `"x"`, false},
		{`"<<nope>:1>"`, `"x"`, false},
	} {
		if got := Value(decode(t, tc.want), decode(t, tc.got)); got != tc.ok {
			t.Errorf("Value(%s, %s) = %v, want %v", tc.want, tc.got, got, tc.ok)
		}
	}
}

func TestText(t *testing.T) {
	for _, tc := range []struct {
		want, got string
		ok        bool
	}{
		{`"States.Timeout"`, `States.Timeout`, true},
		{`{"errorMessage":"x"}`, `{"errorMessage": "x"}`, true},
		{`{"errorMessage":"x"}`, `not json`, false},
		{`"<any>"`, ``, true},
	} {
		if got := Text(decode(t, tc.want), tc.got); got != tc.ok {
			t.Errorf("Text(%s, %q) = %v, want %v", tc.want, tc.got, got, tc.ok)
		}
	}
}

func TestString(t *testing.T) {
	for _, tc := range []struct {
		want, got string
		ok        bool
	}{
		{"a<any>b", "ab", true},
		{"a<any>b", "a-x-b", true},
		{"a<any>b", "a-x-bc", false},
		{"<uuid>-<uuid>", "1-2-3", true},
		{"x<arn>y<token>y", "xAyByCy", true},
		{"x<arn>y<token>y", "xAy", false},
		{"<any>ab<any>ab", "abab", true},
		{"<any>aba", "aba", true},
		{"ab<any>ba", "aba", false},
		{"a<b>c", "a<b>c", true},
		{"a<b>c", "abc", false},
		{"a\nb<any>", "a\nb\nc", true},
		{"token <<token>:1> end", "token ABC end", true},
		{"token <<token>:1> end", "token ABC", false},
		{"<<token>:1", "<x:1", true},
	} {
		if got := String(tc.want, tc.got); got != tc.ok {
			t.Errorf("String(%q, %q) = %v, want %v", tc.want, tc.got, got, tc.ok)
		}
	}
}
