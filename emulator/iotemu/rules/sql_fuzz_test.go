package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

var sqlVersions = []string{"", Version20151008, Version20160323, VersionBeta}

// FuzzSQLStatement compiles an arbitrary rule statement for each SQL version
// and, when it compiles, applies it to a small payload. A refusal wraps
// ErrSQLParse (SqlParseException on the wire); a statement's FROM is a
// valid topic filter; applying it never panics; SELECT * gives the payload
// byte for byte, and any other SELECT gives a JSON object.
func FuzzSQLStatement(f *testing.F) {
	seeds := []struct{ sql, payload string }{
		{"SELECT * FROM 'tenant1/to/lambda'", `{"TaskToken":"t","result":{"sum":3}}`},
		{"SELECT a, b.c AS d, b.d[1], topic(1) AS t FROM 'tenant1/#' WHERE a > 0 AND NOT b.c = 'y'", `{"a":1,"b":{"c":"x","d":[1,2]}}`},
		{"SELECT VALUE b FROM '+/x' WHERE isundefined(z) OR a <> 1", `{"a":1,"b":[true,null]}`},
		{"SELECT VALUE * FROM '#'", `not json`},
		{"SELECT concat(a, a, a, a, a, a, a, a) AS s, encode(*, 'base64') AS e, decode('eyJ4IjoxfQ==', 'base64') AS j FROM '#'", `{"a":"xyz"}`},
		{"SELECT substring(a, -9999999999, 9999999999), power(10, 400) AS p, mod(1, 0) AS m, sqrt(-1) AS r, round(1e308 * 10) AS o FROM '#'", `{"a":"héllo"}`},
		{"SELECT replace(a, '', 'xx'), indexof(a, ''), get(b, 99999999999999999999) FROM '#'", `{"a":"abc","b":[1]}`},
		{"SELECT newuuid(), clientid(), principal(), timestamp(), md5(a), sha1(a), sha256(a) FROM '#'", `{"a":"x"}`},
		{"SELECT " + strings.Repeat("(", 70) + "1" + strings.Repeat(")", 70) + " FROM '#'", `{}`},
		{"SELECT " + strings.Repeat("a.", 3000) + "a FROM '#'", `{}`},
		{"SELECT " + strings.Repeat("-", 3000) + "1 AS n FROM '#'", `{}`},
		{"SELECT * FROM 'a/#/b'", `{}`},
		{"SELECT * FROM 'unterminated", `{}`},
		{"SELECT \"quoted ident\", 'it''s' AS s FROM '#'", `{"quoted ident":1}`},
		{"SELECT \xff FROM '\xfe'", "\xff"},
		{"", ""},
	}
	for i, s := range seeds {
		f.Add(s.sql, uint8(i), []byte(s.payload))
	}
	f.Fuzz(func(t *testing.T, sql string, version uint8, payload []byte) {
		if len(payload) > 1024 {
			return // evaluation on small payloads only
		}
		q, err := Compile(sql, sqlVersions[int(version)%len(sqlVersions)])
		if err != nil {
			if !errors.Is(err, ErrSQLParse) {
				t.Fatalf("Compile(%q) error %v does not wrap ErrSQLParse", sql, err)
			}
			return
		}
		if !ValidFilter(q.Filter) {
			t.Fatalf("Compile(%q) accepted filter %q", sql, q.Filter)
		}
		m := Message{Topic: "tenant1/to/lambda", ClientID: "c", Payload: payload, Timestamp: 1700000000000,
			Principal: "p", NewUUID: func() string { return "00000000-0000-4000-8000-000000000000" }}
		out, ok := q.Apply(m)
		switch {
		case !ok || q.value:
		case q.SelectAll():
			if !bytes.Equal(out, payload) {
				t.Fatalf("%q: SELECT * gave %q for payload %q", sql, out, payload)
			}
		default:
			var obj map[string]any
			if err := json.Unmarshal(out, &obj); err != nil {
				t.Fatalf("%q: result %q is not a JSON object: %v", sql, out, err)
			}
		}
	})
}

// FuzzExpand expands an arbitrary substitution template (a republish
// topic, say) for a small message. A failure wraps ErrSQLParse; text
// without `${` comes back unchanged.
func FuzzExpand(f *testing.F) {
	for _, s := range []string{
		"errors/${topic(1)}/${clientid()}", "${a.b[0]}-${concat(a.b, 'x')}", "${", "${}", "${topic(}", "$${x}}",
		"plain/topic", "${" + strings.Repeat("(", 100) + "1" + strings.Repeat(")", 100) + "}", "\xff${\xfe}",
	} {
		f.Add(s)
	}
	m := Message{Topic: "tenant1/to/lambda", ClientID: "c", Payload: []byte(`{"a":{"b":["x"]}}`),
		NewUUID: func() string { return "u" }}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := Expand(s, m)
		if err != nil {
			if !errors.Is(err, ErrSQLParse) {
				t.Fatalf("Expand(%q) error %v does not wrap ErrSQLParse", s, err)
			}
			return
		}
		if !strings.Contains(s, "${") && out != s {
			t.Fatalf("Expand(%q) = %q, want it unchanged", s, out)
		}
	})
}
