package jsonobj

import (
	"encoding/json"
	"strings"
	"testing"
)

var validSeeds = []string{`{}`, `[]`, `""`, `0`, `-0`, `-0.5e+10`, `1E5`, `true`, `false`, `null`, ` {"a" : [1, 2.5, "x\"\\\/\b\f\n\r\t\u00e9"], "b":{}} `,
	`{"a":1,}`, `[1,]`, `01`, `1.`, `.5`, `-`, `1e`, `1e+`, `"\x"`, `"\u12G4"`, "\"\x01\"", `tru`, `nul`, `{"a"}`, `{"a":}`, `{1:2}`,
	`[1 2]`, `{"a":1}}`, `"abc`, "\"\xff\xfe\"", `[[[[]]]]`, strings.Repeat("[", 1200) + strings.Repeat("]", 1200),
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001), "\t\n\r 1 \t", `1 2`, ``, ` `, `{"a":1 "b":2}`, `[-]`, `[--1]`, `{"":""}`}

// TestValidAsJSONValid compares Valid with json.Valid, and checks that
// Valid's own reading never accepts what json.Valid refuses.
func TestValidAsJSONValid(t *testing.T) {
	for _, s := range validSeeds {
		checkValid(t, []byte(s))
	}
}

func FuzzValid(f *testing.F) {
	for _, s := range validSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) { checkValid(t, doc) })
}

func checkValid(t *testing.T, doc []byte) {
	t.Helper()
	want := json.Valid(doc)
	if got := Valid(doc); got != want {
		t.Errorf("Valid(%.80q) = %v, json.Valid %v", doc, got, want)
	}
	if end, ok := validValue(doc, skipSpace(doc, 0), 0); ok && skipSpace(doc, end) == len(doc) && !want {
		t.Errorf("Valid's own reading accepts %.80q, which json.Valid refuses", doc)
	}
}
