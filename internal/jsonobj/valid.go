package jsonobj

import "encoding/json"

// maxValidDepth is how deep Valid nests before it leaves the document to
// json.Valid (whose own limit is 10,000).
const maxValidDepth = 1000

// Valid reports whether doc is one valid JSON value, as json.Valid does:
// it answers true itself for a document it reads to the end (it scans
// strings, which make most of stepwire's documents, several times faster
// than encoding/json's state machine), and hands anything it rejects, or
// nests deeper than maxValidDepth, to json.Valid, so that its false is
// always encoding/json's. As json.Valid, it does not check UTF-8.
func Valid(doc []byte) bool {
	if end, ok := validValue(doc, skipSpace(doc, 0), 0); ok && skipSpace(doc, end) == len(doc) {
		return true
	}
	return json.Valid(doc)
}

// validValue returns the index after the valid value at doc[i], or false.
func validValue(doc []byte, i, depth int) (int, bool) {
	if i >= len(doc) {
		return 0, false
	}
	switch c := doc[i]; {
	case c == '"':
		return validString(doc, i)
	case c == '{':
		if depth >= maxValidDepth {
			return 0, false
		}
		i = skipSpace(doc, i+1)
		if i < len(doc) && doc[i] == '}' {
			return i + 1, true
		}
		for {
			end, ok := validString(doc, i)
			if !ok {
				return 0, false
			}
			i = skipSpace(doc, end)
			if i >= len(doc) || doc[i] != ':' {
				return 0, false
			}
			if i, ok = validValue(doc, skipSpace(doc, i+1), depth+1); !ok {
				return 0, false
			}
			var closed bool
			if i, closed, ok = afterElement(doc, i, '}'); !ok || closed {
				return i, ok
			}
		}
	case c == '[':
		if depth >= maxValidDepth {
			return 0, false
		}
		i = skipSpace(doc, i+1)
		if i < len(doc) && doc[i] == ']' {
			return i + 1, true
		}
		for {
			var ok bool
			if i, ok = validValue(doc, i, depth+1); !ok {
				return 0, false
			}
			var closed bool
			if i, closed, ok = afterElement(doc, i, ']'); !ok || closed {
				return i, ok
			}
		}
	case c == '-' || c >= '0' && c <= '9':
		return validNumber(doc, i)
	case c == 't':
		return validLiteral(doc, i, "true")
	case c == 'f':
		return validLiteral(doc, i, "false")
	case c == 'n':
		return validLiteral(doc, i, "null")
	}
	return 0, false
}

// validString returns the index after the valid string literal at doc[i]:
// no control characters, escapes of JSON's forms.
func validString(doc []byte, i int) (int, bool) {
	if i >= len(doc) || doc[i] != '"' {
		return 0, false
	}
	for i++; i < len(doc); i++ {
		switch c := doc[i]; {
		case c == '"':
			return i + 1, true
		case c < 0x20:
			return 0, false
		case c == '\\':
			if i++; i >= len(doc) {
				return 0, false
			}
			switch doc[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(doc) || !isHex(doc[i+1]) || !isHex(doc[i+2]) || !isHex(doc[i+3]) || !isHex(doc[i+4]) {
					return 0, false
				}
				i += 4
			default:
				return 0, false
			}
		}
	}
	return 0, false
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// validNumber returns the index after the valid number at doc[i]:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func validNumber(doc []byte, i int) (int, bool) {
	if doc[i] == '-' {
		i++
	}
	switch {
	case i < len(doc) && doc[i] == '0':
		i++
	case i < len(doc) && doc[i] >= '1' && doc[i] <= '9':
		i = digits(doc, i)
	default:
		return 0, false
	}
	if i < len(doc) && doc[i] == '.' {
		start := i + 1
		if i = digits(doc, start); i == start {
			return 0, false
		}
	}
	if i < len(doc) && (doc[i] == 'e' || doc[i] == 'E') {
		i++
		if i < len(doc) && (doc[i] == '+' || doc[i] == '-') {
			i++
		}
		start := i
		if i = digits(doc, start); i == start {
			return 0, false
		}
	}
	return i, true
}

func digits(doc []byte, i int) int {
	for i < len(doc) && doc[i] >= '0' && doc[i] <= '9' {
		i++
	}
	return i
}

func validLiteral(doc []byte, i int, lit string) (int, bool) {
	if len(doc)-i < len(lit) || string(doc[i:i+len(lit)]) != lit {
		return 0, false
	}
	return i + len(lit), true
}
