package rules

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseErrors(t *testing.T) {
	for _, sql := range []string{
		"",
		"SELECT",
		"SELECT * FROM",
		"SELECT * FROM tenant1/to/lambda",
		"SELECT * FROM 'a/#/b'",
		"SELECT * FROM 'a' WHERE",
		"SELECT * FROM 'a' extra",
		"SELECT a. FROM 'a'",
		"SELECT nosuch(x) FROM 'a'",
		"SELECT * FROM 'unterminated",
		"SELECT a AS FROM 'a'",
		"SELECT * FROM 'a' WHERE (a = 1",
		"SELECT ; FROM 'a'",
	} {
		_, err := Parse(sql)
		require.Error(t, err, sql)
		require.True(t, errors.Is(err, ErrSQLParse), sql)
	}
}

// Reference §4.2 [Doc lambda-rule-action]: with SELECT * on a JSON payload
// the Lambda event is the payload itself, no envelope.
func TestSpecSelectStarIsPayload(t *testing.T) {
	q, err := Parse("SELECT * FROM 'tenant1/to/lambda'")
	require.NoError(t, err)
	require.Equal(t, "tenant1/to/lambda", q.Filter)
	require.True(t, q.SelectAll())
	payload := []byte(`{"TaskToken":"t1","result":{"sum":3}}`)
	out, ok := q.Apply(Message{Topic: "tenant1/to/lambda", Payload: payload})
	require.True(t, ok)
	require.Equal(t, payload, out)
}

// Reference §4.1 [Doc iot-sql-select]: paths, aliases, unaliased items
// named after the last segment or the function, absent attributes omitted.
func TestSpecSelectItems(t *testing.T) {
	msg := Message{Topic: "tenant1/to/lambda", ClientID: "mqtt-container-client", Timestamp: 1700000000000,
		Payload: []byte(`{"a":1,"b":{"c":"x","d":[1,2]},"TaskToken":"t"}`)}
	tests := []struct {
		sql, want string
	}{
		{"SELECT a, b.c AS d FROM 'tenant1/#'", `{"a":1,"d":"x"}`},
		{"select b.c from 'tenant1/to/lambda'", `{"c":"x"}`},
		{"SELECT missing, b.missing.x FROM '+/to/lambda'", `{}`},
		{"SELECT *, topic(1) AS tenant FROM 'tenant1/to/lambda'", `{"TaskToken":"t","a":1,"b":{"c":"x","d":[1,2]},"tenant":"tenant1"}`},
		{"SELECT topic(), clientid(), timestamp() FROM '#'", `{"clientid":"mqtt-container-client","timestamp":1700000000000,"topic":"tenant1/to/lambda"}`},
		{"SELECT 'lit' AS s, 2 AS n, true AS b FROM '#'", `{"b":true,"n":2,"s":"lit"}`},
		{`SELECT "TaskToken" AS token FROM '#'`, `{"token":"t"}`},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			q, err := Parse(tt.sql)
			require.NoError(t, err)
			out, ok := q.Apply(msg)
			require.True(t, ok)
			require.JSONEq(t, tt.want, string(out))
		})
	}
}

// Reference §4.1: WHERE is evaluated first; comparisons with Undefined
// fail closed.
func TestSpecWhere(t *testing.T) {
	msg := Message{Topic: "t/x", Payload: []byte(`{"n":5,"s":"ok","f":false,"z":null}`)}
	tests := []struct {
		where string
		want  bool
	}{
		{"n = 5", true},
		{"n > 4 AND s = 'ok'", true},
		{"n > 5 OR s = 'no'", false},
		{"NOT (n < 5)", true},
		{"missing = 1", false},
		{"NOT missing = 1", false},
		{"n = '5'", false},
		{"f = false", true},
		{"z = null", true},
		{"s <> 'ok'", false},
		{"n != 4", true},
		{"n >= -1", true},
		{"topic(2) = 'x'", true},
		{"clientid() = 'n/a'", true},
	}
	for _, tt := range tests {
		t.Run(tt.where, func(t *testing.T) {
			q, err := Parse("SELECT * FROM 't/+' WHERE " + tt.where)
			require.NoError(t, err)
			_, ok := q.Apply(msg)
			require.Equal(t, tt.want, ok)
		})
	}
}

// Reference §4.3 [Doc binary-payloads]: SELECT * passes a non-JSON payload
// through unchanged; selected attributes of a non-JSON payload are
// Undefined, and WHERE on them does not match.
func TestSpecNonJSONPayload(t *testing.T) {
	raw := []byte("\x00binary")
	star, _ := Parse("SELECT * FROM 'a'")
	out, ok := star.Apply(Message{Topic: "a", Payload: raw})
	require.True(t, ok)
	require.Equal(t, raw, out)

	fields, _ := Parse("SELECT x FROM 'a'")
	out, ok = fields.Apply(Message{Topic: "a", Payload: raw})
	require.True(t, ok)
	require.JSONEq(t, `{}`, string(out))

	where, _ := Parse("SELECT * FROM 'a' WHERE x = 1")
	_, ok = where.Apply(Message{Topic: "a", Payload: raw})
	require.False(t, ok)
}

func FuzzParseSQL(f *testing.F) {
	f.Add("SELECT * FROM 'tenant1/to/lambda'")
	f.Add("SELECT a, b.c AS d FROM 'a/+/#' WHERE (a > 1 OR NOT b.c = 'x') AND topic(1) = 'a'")
	f.Add(`SELECT "q""x", -1.5 FROM 'x'`)
	f.Fuzz(func(t *testing.T, sql string) {
		q, err := Parse(sql)
		if err != nil {
			return
		}
		q.Apply(Message{Topic: "a/b", Payload: []byte(`{"a":2,"b":{"c":"x"}}`)})
	})
}
