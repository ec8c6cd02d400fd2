package jsonobj

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
)

func TestMembers(t *testing.T) {
	var got []string
	err := Members([]byte(` { "a" : "x\"}" , "b":[1,{"c":"]"}], "c":null,"d":-1.5e3, "k\u00e9y" :true,"a":{} } `),
		func(key string, value []byte) { got = append(got, key+"="+string(value)) })
	if err != nil {
		t.Fatal(err)
	}
	if want := `[a="x\"}" b=[1,{"c":"]"}] c=null d=-1.5e3 kéy=true a={}]`; fmt.Sprint(got) != want {
		t.Fatalf("members %v, want %v", got, want)
	}
	for _, bad := range []string{``, `[]`, `"s"`, `{"a"}`, `{"a":}`, `{"a":1`, `{"a":"x}`, `{"a":[1}`, `{a:1}`, `{"a":1 "b":2}`} {
		if err := Members([]byte(bad), func(string, []byte) {}); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
	if err := Members([]byte(` {} `), func(k string, _ []byte) { t.Errorf("member %q of {}", k) }); err != nil {
		t.Fatal(err)
	}
}

func TestString(t *testing.T) {
	for in, want := range map[string]string{`"plain"`: "plain", `"e\u00e9\"q"`: `eé"q`, "\"bad\xff\"": "bad\uFFFD", `""`: ""} {
		if got, ok := String([]byte(in)); !ok || got != want {
			t.Errorf("String(%s) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{`1`, `"`, `null`, `"a`} {
		if _, ok := String([]byte(in)); ok {
			t.Errorf("String(%s) reported a string", in)
		}
	}
}

var escapedStrings = []string{`"{\"a\":15,\"b\":42}"`, `"a\\b\/c\bd\fe\nf\rg\th"`, `"\u0041\"x"`, `"\ud83d\ude00 \"y\""`,
	`"\q"`, `"a\"`, `"\"` + "\x01" + `"`, `"ab\"c` + "\xff" + `\"d"`, `"trailing\\"`, `"x\"y"z"`, `"\"\"\""`}

// TestStringAsUnmarshal compares String with json.Unmarshal on strings
// with escapes.
func TestStringAsUnmarshal(t *testing.T) {
	for _, in := range escapedStrings {
		checkString(t, []byte(in))
	}
}

func FuzzString(f *testing.F) {
	for _, in := range escapedStrings {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, value []byte) {
		// Callers hand String a value without the space around it; the
		// unescaping paths are those with a backslash.
		if value = bytes.TrimSpace(value); bytes.IndexByte(value, '\\') >= 0 {
			checkString(t, value)
		}
	})
}

func checkString(t *testing.T, value []byte) {
	t.Helper()
	got, ok := String(value)
	var want string
	err := json.Unmarshal(value, &want)
	if ok != (err == nil) || got != want {
		t.Errorf("String(%s) = %q, %v; Unmarshal %q, %v", value, got, ok, want, err)
	}
}
