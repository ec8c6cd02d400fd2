package sqljob

import (
	"bytes"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/stepwire/stepwire/worker"
)

// encodeRows writes the result of a query as
//
//	{"columns": ["id", "name"], "rows": [{"id": 1, "name": "a"}, ...]}
//
// with each row's keys in column order. It counts bytes as it goes and
// stops reading rows once the result passes limit, failing with
// ResultTooLarge, so it holds at most limit bytes plus one value.
func encodeRows(rows *sql.Rows, limit int) (json.RawMessage, error) {
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	keys, names, err := columnKeys(types)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(`{"columns":`)
	b.Write(names)
	b.WriteString(`,"rows":[`)
	vals := make([]any, len(types))
	ptrs := make([]any, len(types))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		if n > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('{')
		for i, v := range vals {
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(keys[i])
			appendValue(&b, v, strings.ToUpper(types[i].DatabaseTypeName()))
			if b.Len() > limit {
				return nil, tooLarge(limit, n, b.Len())
			}
		}
		b.WriteByte('}')
		n++
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	b.WriteString("]}")
	if b.Len() > limit {
		return nil, tooLarge(limit, n, b.Len())
	}
	return b.Bytes(), nil
}

func tooLarge(limit, rows, size int) error {
	return &worker.JobError{Name: FailureResultTooLarge, Cause: fmt.Sprintf(
		"sql: the result passed the %d-byte limit on a task's output after %d complete rows (%d bytes so far); "+
			"select fewer rows or columns, e.g. with LIMIT", limit, rows, size)}
}

// columnKeys encodes each column's name as an object key ("name":) and all
// names as a JSON array. Two columns of one name would make a row object
// ambiguous, so they are refused.
func columnKeys(types []*sql.ColumnType) (keys [][]byte, names []byte, err error) {
	seen := map[string]bool{}
	list := make([]string, len(types))
	for i, t := range types {
		name := t.Name()
		if seen[name] {
			return nil, nil, invalidInput(fmt.Sprintf("the query returns two columns named %q; give one an alias (AS)", name))
		}
		seen[name] = true
		list[i] = name
		k, _ := json.Marshal(name) // strings always encode
		keys = append(keys, append(k, ':'))
	}
	names, _ = json.Marshal(list)
	return keys, names, nil
}

// appendValue writes one SQL value as JSON. dbType is the column's
// database type name, in upper case (empty when the driver does not know):
//
//   - NULL is null; integers and floats are numbers, except NaN and the
//     infinities, which JSON lacks: "NaN", "Infinity", "-Infinity";
//   - booleans are true and false, as are SQLite's 0 and 1 in a BOOLEAN
//     column;
//   - text is a string; PostgreSQL NUMERIC is a number when it is finite;
//   - times are RFC 3339 strings with the fraction they carry;
//   - JSON and JSONB columns are embedded as JSON;
//   - other bytes (BLOB, BYTEA) are base64 strings;
//   - anything else the driver hands over is written as its JSON encoding,
//     or else as text.
func appendValue(b *bytes.Buffer, v any, dbType string) {
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case int64:
		if (dbType == "BOOLEAN" || dbType == "BOOL") && (v == 0 || v == 1) {
			b.WriteString(strconv.FormatBool(v == 1))
			return
		}
		b.WriteString(strconv.FormatInt(v, 10))
	case float64:
		appendFloat(b, v)
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case string:
		if (dbType == "NUMERIC" || dbType == "DECIMAL") && isJSONNumber(v) {
			b.WriteString(v)
			return
		}
		appendString(b, v)
	case time.Time:
		appendString(b, v.Format(time.RFC3339Nano))
	case []byte:
		if (dbType == "JSON" || dbType == "JSONB") && json.Compact(b, v) == nil {
			return
		}
		appendString(b, base64.StdEncoding.EncodeToString(v))
	default:
		if j, err := json.Marshal(v); err == nil {
			b.Write(j)
			return
		}
		appendString(b, fmt.Sprint(v))
	}
}

func appendFloat(b *bytes.Buffer, f float64) {
	switch {
	case math.IsNaN(f):
		b.WriteString(`"NaN"`)
	case math.IsInf(f, 1):
		b.WriteString(`"Infinity"`)
	case math.IsInf(f, -1):
		b.WriteString(`"-Infinity"`)
	default:
		j, _ := json.Marshal(f) // finite floats always encode
		b.Write(j)
	}
}

func appendString(b *bytes.Buffer, s string) {
	j, _ := json.Marshal(s) // strings always encode
	b.Write(j)
}

// isJSONNumber reports whether s is a JSON number literal.
func isJSONNumber(s string) bool {
	var n json.Number
	return json.Unmarshal([]byte(s), &n) == nil && s != "" && s[0] != '"'
}
