// Package jsonobj lists the members of a JSON object without decoding
// their values, for callers that need only some of them.
package jsonobj

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"unicode/utf8"
)

// ErrNotObject is Members' error for a document that is not one JSON
// object.
var ErrNotObject = errors.New("not a JSON object")

// Members calls f with the key and the JSON text of the value of each
// member of the JSON object doc, in order, without decoding the values:
// a caller decodes only the members it needs. The value is a subslice of
// doc. doc is meant to be valid JSON (checked beforehand, e.g. with
// json.Valid): Members finds the members' bounds, and reports
// ErrNotObject for what is not an object, but does not check every byte.
// A repeated key is reported each time; in a decoded map the last wins.
func Members(doc []byte, f func(key string, value []byte)) error {
	i := skipSpace(doc, 0)
	if i >= len(doc) || doc[i] != '{' {
		return ErrNotObject
	}
	i = skipSpace(doc, i+1)
	if i < len(doc) && doc[i] == '}' {
		return nil
	}
	for {
		end, ok := skipString(doc, i)
		if !ok {
			return ErrNotObject
		}
		key, ok := String(doc[i:end])
		if !ok {
			return ErrNotObject
		}
		i = skipSpace(doc, end)
		if i >= len(doc) || doc[i] != ':' {
			return ErrNotObject
		}
		i = skipSpace(doc, i+1)
		end, ok = skipValue(doc, i)
		if !ok {
			return ErrNotObject
		}
		f(key, doc[i:end])
		i = skipSpace(doc, end)
		if i >= len(doc) {
			return ErrNotObject
		}
		switch doc[i] {
		case ',':
			i = skipSpace(doc, i+1)
		case '}':
			return nil
		default:
			return ErrNotObject
		}
	}
}

func skipSpace(doc []byte, i int) int {
	for i < len(doc) && (doc[i] == ' ' || doc[i] == '\t' || doc[i] == '\n' || doc[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the string starting at i.
func skipString(doc []byte, i int) (int, bool) {
	if i >= len(doc) || doc[i] != '"' {
		return 0, false
	}
	for i++; i < len(doc); i++ {
		switch doc[i] {
		case '\\':
			i++
		case '"':
			return i + 1, true
		}
	}
	return 0, false
}

// skipValue returns the index after the value starting at i.
func skipValue(doc []byte, i int) (int, bool) {
	if i >= len(doc) {
		return 0, false
	}
	switch doc[i] {
	case '"':
		return skipString(doc, i)
	case '{', '[':
		depth := 0
		for i < len(doc) {
			switch doc[i] {
			case '"':
				end, ok := skipString(doc, i)
				if !ok {
					return 0, false
				}
				i = end
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1, true
				}
			}
			i++
		}
		return 0, false
	}
	start := i
	for i < len(doc) && !endsLiteral(doc[i]) {
		i++
	}
	return i, i > start
}

// String decodes the JSON string value as encoding/json does, without
// reflection when it has no escapes or only two-character ones (JSON text
// carried in a string, such as a task's output, has many \"), and reports
// false when value is not a string.
func String(value []byte) (string, bool) {
	if len(value) < 2 || value[0] != '"' || value[len(value)-1] != '"' {
		return "", false
	}
	inner := value[1 : len(value)-1]
	esc := bytes.IndexByte(inner, '\\')
	if esc < 0 && utf8.Valid(inner) {
		return string(inner), true
	}
	if esc >= 0 && utf8.Valid(inner) {
		if s, ok := unescapeShort(inner); ok {
			return s, true
		}
	}
	var s string
	return s, json.Unmarshal(value, &s) == nil
}

// unescapeShort decodes the inside of a string literal whose escapes are
// all two-character ones (\" \\ \/ \b \f \n \r \t) and which holds no
// control character nor unescaped quote. It reports false for anything
// else (\u escapes included), which encoding/json decides.
func unescapeShort(inner []byte) (string, bool) {
	var b strings.Builder
	b.Grow(len(inner))
	start := 0 // of the text not yet written
	for i := 0; i < len(inner); i++ {
		c := inner[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		if c != '\\' || i+1 == len(inner) {
			return "", false
		}
		b.Write(inner[start:i])
		i++
		switch inner[i] {
		case '"', '\\', '/':
			b.WriteByte(inner[i])
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		default:
			return "", false
		}
		start = i + 1
	}
	b.Write(inner[start:])
	return b.String(), true
}

// endsLiteral reports whether c ends a number, true, false or null.
func endsLiteral(c byte) bool {
	switch c {
	case ',', '}', ']', ' ', '\t', '\r', '\n':
		return true
	}
	return false
}
