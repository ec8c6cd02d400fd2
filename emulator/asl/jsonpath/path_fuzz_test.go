package jsonpath

import (
	"strings"
	"testing"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// fuzzDoc is the small document every compiled path is evaluated against.
const fuzzDoc = `{"a":{"b":[1,{"c":"x"},[2,3]],"n":null},"arr":[0,1,2,3,4],"e":{},"k y":{"'":1}}`

// FuzzPath compiles arbitrary path text. Compile returns an error or a
// path whose String is the text; evaluating a compiled path on a small
// document never panics, an indefinite path always yields an array, and
// when Set stores a value at a reference path, Get reads that value back.
func FuzzPath(f *testing.F) {
	for _, s := range []string{
		"$", "$$", "$.a.b[1].c", "$$.Task.Token", "$var.x", "$['k y']['\\'']",
		"$.arr[*]", "$.a.*", "$.arr[1:3]", "$.arr[::2]", "$.arr[-2:]", "$.arr[-1]",
		"$.arr[9223372036854775807:]", "$.arr[-9223372036854775808]",
		"$.a.b[?(@.c == 'x')]", "$.arr[?(@ > 2)]", "$.a.b[?(@.c)]", "$..a", "$.", "$[", "$['a",
		"$.arr[1:2:0]", "$.a[99999999999999999999]", "$[?(@.a == {\"x\":[1,2]})]",
		"$." + strings.Repeat("a.", 2000) + "a", "$" + strings.Repeat("[0]", 2000),
		"$.\xff\xfe", "x", "",
	} {
		f.Add(s)
	}
	doc, err := jsonv.DecodeString(fuzzDoc)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		p, err := Compile(text)
		if err != nil {
			return
		}
		if p.String() != text {
			t.Fatalf("String() = %q, want %q", p.String(), text)
		}
		_ = p.Bracketed()
		got, ok := p.Get(doc)
		if !p.IsReference() {
			if _, isArr := got.([]any); !ok || !isArr {
				t.Fatalf("%q: indefinite path gave %#v, %v; want an array", text, got, ok)
			}
			return
		}
		marker := "fuzz-marker"
		out, err := p.Set(doc, marker)
		if err != nil {
			return
		}
		if v, ok := p.Get(out); !ok || v != marker {
			t.Fatalf("%q: Get after Set = %#v, %v; want the stored value", text, v, ok)
		}
	})
}
