package rules

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

func apply(t *testing.T, sql, version string, m Message) (string, bool) {
	t.Helper()
	q, err := Compile(sql, version)
	require.NoError(t, err, sql)
	out, ok := q.Apply(m)
	return string(out), ok
}

// Reference §4.1 [Doc iot-sql-*]: SELECT expressions, arithmetic, nested
// paths and array indexes, functions, WHERE with AND/OR/NOT and
// arithmetic, SELECT VALUE.
func TestSpecSQLExpressions(t *testing.T) {
	m := Message{Topic: "tenant1/to/lambda", ClientID: "w1", Principal: "abc", Timestamp: 1700000000000,
		NewUUID: func() string { return "uuid-1" },
		Payload: []byte(`{"a":6,"b":{"c":"Hi","d":[10,20,{"e":"deep"}]},"s":" x ","n":"4"}`)}
	tests := []struct{ sql, want string }{
		{"SELECT a + 1 AS x, a * 2 AS y, a / 4 AS z, a % 4 AS w, -a AS neg FROM '#'", `{"x":7,"y":12,"z":1.5,"w":2,"neg":-6}`},
		{"SELECT b.d[1] AS second, b.d[2].e AS deep, get(b.d, 0) AS first, get(b, 'c') AS c FROM '#'", `{"second":20,"deep":"deep","first":10,"c":"Hi"}`},
		{"SELECT topic() AS t, topic(1) AS tenant, clientid() AS c, principal() AS p, timestamp() AS ts, newuuid() AS id FROM '#'",
			`{"t":"tenant1/to/lambda","tenant":"tenant1","c":"w1","p":"abc","ts":1700000000000,"id":"uuid-1"}`},
		{"SELECT lower(b.c) AS l, upper(b.c) AS u, trim(s) AS tr, length(b.c) AS len, concat(b.c, '-', a) AS cc FROM '#'",
			`{"l":"hi","u":"HI","tr":"x","len":2,"cc":"Hi-6"}`},
		{"SELECT substring('hello', 1, 3) AS sub, replace('a-b', '-', '+') AS r, startswith('abc', 'ab') AS sw, indexof('abc','c') AS i FROM '#'",
			`{"sub":"el","r":"a+b","sw":true,"i":2}`},
		{"SELECT abs(-2) AS abs, round(2.5) AS r, floor(2.7) AS f, ceil(2.1) AS c, mod(7, 3) AS m, power(2, 10) AS p, n + 1 AS sn FROM '#'",
			`{"abs":2,"r":3,"f":2,"c":3,"m":1,"p":1024,"sn":5}`},
		{"SELECT *, 'literal' AS lit, 42 AS num, true AS yes FROM '#' WHERE a > 5 AND NOT (b.c = 'Bye') OR a = 0",
			`{"a":6,"b":{"c":"Hi","d":[10,20,{"e":"deep"}]},"s":" x ","n":"4","lit":"literal","num":42,"yes":true}`},
		{"SELECT a, missing, b.missing FROM '#'", `{"a":6}`},
		{"SELECT VALUE b.c FROM '#'", `"Hi"`},
		{"SELECT isUndefined(missing) AS u, isNull(null) AS n FROM '#'", `{"u":true,"n":true}`},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			out, ok := apply(t, tt.sql, Version20160323, m)
			require.True(t, ok)
			require.JSONEq(t, tt.want, out)
		})
	}
	for _, where := range []string{"a * 2 = 12", "a + 1 > 6 AND b.c <> 'x'", "NOT a < 5", "a = 1 OR b.d[0] = 10"} {
		_, ok := apply(t, "SELECT * FROM '#' WHERE "+where, "", m)
		require.True(t, ok, where)
	}
	for _, where := range []string{"missing = 1", "a / 0 = 1", "NOT missing", "b.c > 1"} {
		_, ok := apply(t, "SELECT * FROM '#' WHERE "+where, "", m)
		require.False(t, ok, where)
	}
}

// Reference §4.3 [Doc binary-payloads]: SELECT * passes a binary payload
// unchanged, encode(*, 'base64') wraps it, and WHERE clauses on its
// fields do not match. encode needs SQL version 2016-03-23.
func TestSpecNonJSONPayloadEncode(t *testing.T) {
	m := Message{Topic: "bin/1", Payload: []byte{0xff, 0x00, 'a'}}
	out, ok := apply(t, "SELECT * FROM 'bin/+'", "", m)
	require.True(t, ok)
	require.Equal(t, string(m.Payload), out)
	out, ok = apply(t, "SELECT encode(*, 'base64') AS data, topic(2) AS id FROM 'bin/+'", Version20160323, m)
	require.True(t, ok)
	require.JSONEq(t, `{"data":"/wBh","id":"1"}`, out)
	_, ok = apply(t, "SELECT * FROM 'bin/+' WHERE a = 1", "", m)
	require.False(t, ok)
	out, ok = apply(t, "SELECT a FROM 'bin/+'", "", m)
	require.True(t, ok)
	require.Equal(t, `{}`, out)
	_, err := Compile("SELECT encode(*, 'base64') AS d FROM 'a'", Version20151008)
	require.ErrorIs(t, err, ErrSQLParse)
	_, err = Compile("SELECT * FROM 'a'", "2099-01-01")
	require.ErrorIs(t, err, ErrSQLParse)
}

// Reference §4.1: ${expr} substitution templates in action fields.
func TestExpandTemplates(t *testing.T) {
	m := Message{Topic: "tenant1/to/lambda", ClientID: "w1", Payload: []byte(`{"job":{"id":"j7"}}`)}
	got, err := Expand("errors/${topic(1)}/${job.id}/${clientid()}", m)
	require.NoError(t, err)
	require.Equal(t, "errors/tenant1/j7/w1", got)
	_, err = Expand("x/${topic(", m)
	require.True(t, errors.Is(err, ErrSQLParse))
}

func FuzzCompile(f *testing.F) {
	for _, s := range []string{
		"SELECT * FROM 'a/#' WHERE a.b[0] + 1 > 2 AND NOT c = 'x'",
		"SELECT VALUE encode(*, 'base64') FROM '+/x'",
		"SELECT concat(a, 'b') AS c, get(d, 0), -x * (y % 3) FROM 'a'",
		"SELECT substring(s, 1) FROM 'a' WHERE s <> ''",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		q, err := Compile(sql, Version20160323)
		if err != nil {
			if !errors.Is(err, ErrSQLParse) {
				t.Fatalf("error %v does not wrap ErrSQLParse", err)
			}
			return
		}
		// A compiled query evaluates without panicking on JSON and
		// non-JSON payloads.
		for _, p := range []string{`{"a":{"b":[1,2]},"c":"x","s":"str","d":[1]}`, "\xff", `[1,2]`, `"s"`, `12`} {
			q.Apply(Message{Topic: "a/b", Payload: []byte(p)})
		}
	})
}
