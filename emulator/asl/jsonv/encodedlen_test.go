package jsonv

import "testing"

// TestEncodedLenIsAppendsLength checks that Encode sizes its buffer
// exactly, escapes and invalid UTF-8 included.
func TestEncodedLenIsAppendsLength(t *testing.T) {
	values := []any{nil, true, false, Number("-1.5e3"), "", "plain", "q\"b\\n\n\r\t\b\f\x00\x1f\x7f",
		"caf\u00e9 \u2028 \U0001F600", "bad \xff\xfe utf8 \xe2\x82", []any{}, []any{nil, "a", Number("1")},
		&Object{}, struct{}{}, 42}
	o := NewObject(3)
	o.Members = append(o.Members, Member{Key: "k\"\n", Value: values}, Member{Key: "", Value: &Object{}},
		Member{Key: "\xff", Value: []any{[]any{}, "x"}})
	values = append(values, o, []any{o, o})
	for _, text := range []string{`{"a":[1,2,{"b":"\u0001\"\\"}],"c":null,"d":true,"e":"\ud83d\ude00"}`,
		`[0,-0,1e-7,"\u2028",{"":{}}]`} {
		v, err := DecodeString(text)
		if err != nil {
			t.Fatal(err)
		}
		values = append(values, v)
	}
	for _, v := range values {
		want := Append(nil, v)
		if n := encodedLen(v); n != len(want) {
			t.Errorf("encodedLen(%s) = %d, want %d", want, n, len(want))
		}
		if b := Encode(v); string(b) != string(want) || cap(b) != len(want) {
			t.Errorf("Encode(%s) = %s with capacity %d", want, b, cap(b))
		}
		if s := EncodeString(v); s != string(want) {
			t.Errorf("EncodeString(%s) = %s", want, s)
		}
	}
}
