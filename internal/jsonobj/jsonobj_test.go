package jsonobj

import (
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
