package jsonv

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// FuzzDecode checks Decode against encoding/json: a text decodes exactly
// when encoding/json calls it valid, and a decoded value encodes to JSON
// that encoding/json reads as the same value as the input (numbers
// compared by their text, invalid UTF-8 replaced the same way). It also
// checks that Encode is a fixed point: decoding and re-encoding its output
// changes nothing.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"b":1,"a":[1.50,2e3,-0],"c":{"z":null,"y":true}}`,
		`{"a":1,"a":2}`,
		`"\u0000\ud800\udc00\ud800"`,
		"\"\xff\xfe\"",
		"[\"\xc3\x28\"]",
		`1e999999999999`,
		`-123456789012345678901234567890.123456789e-99999`,
		`[1,]`,
		`{"a":}`,
		`{"a" 1}`,
		`nul`,
		`"\u12"`,
		"\"\t\"",
		` `,
		``,
		strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
		strings.Repeat(`{"a":`, 2000) + `1` + strings.Repeat(`}`, 2000),
		`[` + strings.Repeat(`"x",`, 5000) + `0]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Decode(data)
		valid, tooDeep := stdValid(data)
		if tooDeep {
			return // encoding/json stops at 10000 levels, jsonv one later: no oracle
		}
		if err != nil {
			if valid {
				t.Fatalf("Decode(%s) failed on valid JSON: %v", short(data), err)
			}
			if _, ok := err.(*SyntaxError); !ok {
				t.Fatalf("Decode(%s) error %T, want *SyntaxError", short(data), err)
			}
			return
		}
		if !valid {
			t.Fatalf("Decode(%s) accepted invalid JSON as %s", short(data), short(Encode(v)))
		}
		enc := Encode(v)
		if want := Append(nil, v); string(enc) != string(want) || cap(enc) != len(want) {
			t.Fatalf("Encode sized its buffer %d for %d bytes of %s", cap(enc), len(want), short(want))
		}
		if !json.Valid(enc) {
			t.Fatalf("Encode gave invalid JSON %s for input %s", short(enc), short(data))
		}
		if want, got := stdDecode(t, data), stdDecode(t, enc); !reflect.DeepEqual(want, got) {
			t.Fatalf("input %s re-encoded as %s: encoding/json reads them differently", short(data), short(enc))
		}
		// The first encoding replaces invalid UTF-8 by \ufffd escapes; from
		// then on decoding and encoding is a fixed point.
		v2 := mustDecode(t, enc)
		enc2 := Encode(v2)
		v3 := mustDecode(t, enc2)
		if enc3 := Encode(v3); string(enc3) != string(enc2) {
			t.Fatalf("Encode not stable: %s then %s", short(enc2), short(enc3))
		}
		if !Equal(v2, v3) {
			t.Fatalf("Equal(v, Decode(Encode(v))) is false for %s", short(enc2))
		}
	})
}

func mustDecode(t *testing.T, data []byte) any {
	v, err := Decode(data)
	if err != nil {
		t.Fatalf("Decode(%s) of an encoding: %v", short(data), err)
	}
	return v
}

// stdValid reports whether encoding/json accepts data, and whether it
// refused it only for nesting deeper than its limit.
func stdValid(data []byte) (valid, tooDeep bool) {
	if json.Valid(data) {
		return true, false
	}
	var v any
	err := json.Unmarshal(data, &v)
	return false, err != nil && strings.Contains(err.Error(), "exceeded max depth")
}

// stdDecode reads data with encoding/json, numbers kept as text.
func stdDecode(t *testing.T, data []byte) any {
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("encoding/json: %v on %s", err, short(data))
	}
	return v
}

// short quotes b, cut to keep failure messages readable.
func short(b []byte) string {
	if len(b) > 120 {
		return fmt.Sprintf("%q... (%d bytes)", b[:120], len(b))
	}
	return fmt.Sprintf("%q", b)
}
