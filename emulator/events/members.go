package events

import (
	"bytes"
	"encoding/json"
	"errors"
	"unicode/utf8"
)

// member is one top-level member of an event's detail: its key and the
// JSON text of its value.
type member struct {
	key string
	raw []byte
}

var errMalformed = errors.New("detail is not a JSON object")

// eachMember calls f with each member of the JSON object doc, in order,
// without decoding the values, so that only the members a rule tests need
// decoding. doc is one JSON object (Publish and PutEvents checked it);
// anything else is errMalformed.
func eachMember(doc []byte, f func(member)) error {
	i := skipSpace(doc, 0)
	if i >= len(doc) || doc[i] != '{' {
		return errMalformed
	}
	i = skipSpace(doc, i+1)
	if i < len(doc) && doc[i] == '}' {
		return nil
	}
	for {
		end, ok := skipString(doc, i)
		if !ok {
			return errMalformed
		}
		key, ok := decodeKey(doc[i:end])
		if !ok {
			return errMalformed
		}
		i = skipSpace(doc, end)
		if i >= len(doc) || doc[i] != ':' {
			return errMalformed
		}
		i = skipSpace(doc, i+1)
		end, ok = skipValue(doc, i)
		if !ok {
			return errMalformed
		}
		f(member{key: key, raw: doc[i:end]})
		i = skipSpace(doc, end)
		if i >= len(doc) {
			return errMalformed
		}
		switch doc[i] {
		case ',':
			i = skipSpace(doc, i+1)
		case '}':
			return nil
		default:
			return errMalformed
		}
	}
}

// decodeKey decodes a quoted key as encoding/json does.
func decodeKey(quoted []byte) (string, bool) {
	inner := quoted[1 : len(quoted)-1]
	if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
		return string(inner), true
	}
	var s string
	return s, json.Unmarshal(quoted, &s) == nil
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
	for i < len(doc) && !bytes.ContainsRune([]byte(",}] \t\r\n"), rune(doc[i])) {
		i++
	}
	return i, i > start
}
