package jsonv

import "testing"

func TestRoundTripKeepsOrderAndNumbers(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"b":1,"a":[1.50,2e3,-0],"c":{"z":null,"y":true}}`, `{"b":1,"a":[1.50,2e3,-0],"c":{"z":null,"y":true}}`},
		{` { "k" : "v\u00e9\n\"<&>" } `, `{"k":"vé\n\"<&>"}`},
		{`[]`, `[]`},
		{`"\u0001"`, `"\u0001"`},
	}
	for _, tt := range tests {
		v, err := DecodeString(tt.in)
		if err != nil {
			t.Fatalf("%s: %v", tt.in, err)
		}
		if got := EncodeString(v); got != tt.want {
			t.Errorf("%s: got %s want %s", tt.in, got, tt.want)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, in := range []string{`not`, `{"a":}`, `[1,]`, `{"a":1} x`, `"open`, `01x`} {
		if _, err := DecodeString(in); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}

func TestEqual(t *testing.T) {
	a, _ := DecodeString(`{"a":1,"b":[1.0,"x"]}`)
	b, _ := DecodeString(`{"b":[1,"x"],"a":1.00}`)
	c, _ := DecodeString(`{"b":[1,"y"],"a":1}`)
	if !Equal(a, b) || Equal(a, c) {
		t.Fatal("Equal disagrees")
	}
}

// TestAppendCanonical: equal values (Equal) have the same canonical text,
// different ones different texts.
func TestAppendCanonical(t *testing.T) {
	dec := func(s string) any {
		v, err := DecodeString(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		a, b string
		eq   bool
	}{
		{`1`, `1.0`, true},
		{`0`, `-0`, true},
		{`1e2`, `100`, true},
		{`{"a":1,"b":[2,"x"]}`, `{"b":[2.0,"x"],"a":1}`, true},
		{`"1"`, `1`, false},
		{`[1,2]`, `[2,1]`, false},
		{`{"a":1}`, `{"a":1,"b":null}`, false},
		{`null`, `"null"`, false},
		{`true`, `"true"`, false},
	}
	for _, c := range cases {
		a, b := dec(c.a), dec(c.b)
		same := string(AppendCanonical(nil, a)) == string(AppendCanonical(nil, b))
		if same != c.eq || Equal(a, b) != c.eq {
			t.Errorf("%s vs %s: canonical same %v, Equal %v, want %v", c.a, c.b, same, Equal(a, b), c.eq)
		}
	}
}

// A Builder keeps Object.Set's rule past its index threshold: a repeated
// key keeps its first place and takes the last value.
func TestBuilderKeepsSetRule(t *testing.T) {
	b, o := NewBuilder(0), NewObject(0)
	for i := range 40 {
		k := string(rune('a' + i%13))
		b.Set(k, IntNumber(int64(i)))
		o.Set(k, IntNumber(int64(i)))
	}
	if got, want := EncodeString(b.Object()), EncodeString(o); got != want {
		t.Errorf("builder %s, Set %s", got, want)
	}
}
