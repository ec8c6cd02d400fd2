// Package jsonobj lists the members of a JSON object without decoding
// their values, for callers that need only some of them.
package jsonobj

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
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
		var closed bool
		i, closed, ok = afterElement(doc, end, '}')
		switch {
		case !ok:
			return ErrNotObject
		case closed:
			return nil
		}
	}
}

// afterElement reads what follows an object's member or an array's
// element that ends at doc[end]: a comma, and then i is where the next
// one starts, or the container's closer, and then closed is set and i is
// just past it.
func afterElement(doc []byte, end int, closer byte) (i int, closed, ok bool) {
	i = skipSpace(doc, end)
	if i >= len(doc) {
		return 0, false, false
	}
	switch doc[i] {
	case ',':
		return skipSpace(doc, i+1), false, true
	case closer:
		return i + 1, true, true
	}
	return 0, false, false
}

// Plain reads doc as json.Unmarshal reads it into a struct whose JSON
// names are keys, calling set with the index of a member's name and the
// member's text, when doc is plain: one object whose members named like
// the struct's fields are spelt exactly so (Unmarshal also matches names
// case-insensitively) and whose values set accepts; the setters below
// accept plain strings, integers and JSON text, never null (Unmarshal
// treats null field by field). Other members are checked with Valid and
// skipped, as Unmarshal skips them; a member named twice is set twice,
// the last value staying, as with Unmarshal. It reports false for
// anything else, invalid JSON included: the caller then decodes doc with
// json.Unmarshal. set must store nothing it is not sure of.
func Plain(doc []byte, keys []string, set func(field int, value []byte) bool) bool {
	i := skipSpace(doc, 0)
	if i >= len(doc) || doc[i] != '{' {
		return false
	}
	i = skipSpace(doc, i+1)
	if i < len(doc) && doc[i] == '}' {
		return skipSpace(doc, i+1) == len(doc)
	}
	for {
		key, next, ok := plainString(doc, i)
		if !ok {
			return false
		}
		i = skipSpace(doc, next)
		if i >= len(doc) || doc[i] != ':' {
			return false
		}
		i = skipSpace(doc, i+1)
		end, ok := skipValue(doc, i)
		if !ok {
			return false
		}
		value := doc[i:end]
		field := -1
		for f, name := range keys {
			if key == name {
				field = f
				break
			}
			if strings.EqualFold(key, name) {
				return false // Unmarshal matches names case-insensitively
			}
		}
		if field >= 0 && !set(field, value) || field < 0 && !Valid(value) {
			return false
		}
		var closed bool
		if i, closed, ok = afterElement(doc, end, '}'); !ok || closed {
			return ok && skipSpace(doc, i) == len(doc)
		}
	}
}

// SetRaw stores JSON text other than null, as json.RawMessage's
// UnmarshalJSON stores it (a copy), for Plain.
func SetRaw(dst *json.RawMessage, value []byte) bool {
	if string(value) == "null" || !Valid(value) {
		return false
	}
	*dst = append(json.RawMessage(nil), value...)
	return true
}

// SetString stores a string literal without escapes nor control
// characters that is valid UTF-8, for Plain.
func SetString(dst *string, value []byte) bool {
	s, end, ok := plainString(value, 0)
	if !ok || end != len(value) {
		return false
	}
	*dst = s
	return true
}

// SetInt stores a JSON integer literal without fraction or exponent that
// fits an int, for Plain.
func SetInt(dst *int, value []byte) bool {
	digits := value
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 1 && digits[0] == '0' {
		return false // no digits, or a leading zero
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return false
		}
	}
	n, err := strconv.Atoi(string(value))
	if err != nil {
		return false
	}
	*dst = n
	return true
}

// plainString reads the string literal at doc[i]: its text when it has no
// escapes nor control characters and is valid UTF-8, and the index after
// it.
func plainString(doc []byte, i int) (s string, next int, ok bool) {
	if i >= len(doc) || doc[i] != '"' {
		return "", 0, false
	}
	for k := i + 1; k < len(doc); k++ {
		switch c := doc[k]; {
		case c == '\\' || c < 0x20:
			return "", 0, false
		case c == '"':
			b := doc[i+1 : k]
			if !utf8.Valid(b) {
				return "", 0, false
			}
			return string(b), k + 1, true
		}
	}
	return "", 0, false
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
