package jsonv

import (
	"unicode/utf8"
	"unsafe"
)

// Encode returns the compact JSON text of v.
func Encode(v any) []byte { return Append(make([]byte, 0, encodedLen(v)), v) }

// EncodeString returns the compact JSON text of v as a string. It encodes
// into a buffer of the text's length, measured first, and the string
// shares that buffer, which nothing else holds or writes: one allocation
// instead of a buffer grown from nothing and a copy.
func EncodeString(v any) string {
	b := Encode(v)
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// encodedLen is the length of the text Append writes for v.
func encodedLen(v any) int {
	switch x := v.(type) {
	case nil:
		return len("null")
	case bool:
		if x {
			return len("true")
		}
		return len("false")
	case Number:
		return len(x)
	case string:
		return stringLen(x)
	case []any:
		n := len("[]")
		for i, e := range x {
			if i > 0 {
				n++
			}
			n += encodedLen(e)
		}
		return n
	case *Object:
		n := len("{}")
		for i, m := range x.Members {
			if i > 0 {
				n++
			}
			n += stringLen(m.Key) + 1 + encodedLen(m.Value)
		}
		return n
	}
	return len("null")
}

// stringLen is the length of the literal AppendString writes for s.
func stringLen(s string) int {
	n := len(`""`)
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			n++
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				n += len(`\ufffd`)
			} else {
				n += size
			}
			i += size
			continue
		}
		switch c {
		case '"', '\\', '\n', '\r', '\t', '\b', '\f':
			n += 2
		default:
			n += len(`\u0000`)
		}
		i++
	}
	return n
}

// Append appends the compact JSON text of v to dst.
func Append(dst []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(dst, "null"...)
	case bool:
		if x {
			return append(dst, "true"...)
		}
		return append(dst, "false"...)
	case Number:
		return append(dst, x...)
	case string:
		return AppendString(dst, x)
	case []any:
		dst = append(dst, '[')
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = Append(dst, e)
		}
		return append(dst, ']')
	case *Object:
		dst = append(dst, '{')
		for i, m := range x.Members {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendString(dst, m.Key)
			dst = append(dst, ':')
			dst = Append(dst, m.Value)
		}
		return append(dst, '}')
	}
	return append(dst, "null"...)
}

const hex = "0123456789abcdef"

// AppendString appends s as a JSON string literal. Only the characters JSON
// requires are escaped (no HTML escaping).
func AppendString(dst []byte, s string) []byte { return appendString(dst, s, false) }

// AppendMarshalString appends s as json.Marshal writes a string: as
// AppendString, and also < > & escaped for HTML as \u003c \u003e \u0026,
// U+2028 and U+2029 as \u2028 and \u2029.
func AppendMarshalString(dst []byte, s string) []byte { return appendString(dst, s, true) }

// appendString appends s quoted: " \\ and control characters escaped (\b
// \f \n \r \t, others as \u00XX), each byte of invalid UTF-8 as \ufffd,
// and with html what json.Marshal escapes besides.
func appendString(dst []byte, s string, html bool) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf && !(html && (c == '<' || c == '>' || c == '&')) {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				dst = append(dst, s[start:i]...)
				dst = append(dst, `\ufffd`...)
				start = i + size
			case html && (r == '\u2028' || r == '\u2029'):
				dst = append(dst, s[start:i]...)
				dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xf])
				start = i + size
			}
			i += size
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"':
			dst = append(dst, '\\', '"')
		case '\\':
			dst = append(dst, '\\', '\\')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
