package rules

import (
	"fmt"
	"strings"
	"unicode"
)

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokIdent
	tokString
	tokNumber
	tokSymbol
)

type token struct {
	kind tokKind
	text string
	pos  int
}

// lex splits a rule SQL statement into tokens. Identifiers may be quoted
// with double quotes; strings use single quotes with ” as an escape.
func lex(src string) ([]token, error) {
	var out []token
	for i := 0; i < len(src); {
		c := rune(src[i])
		switch {
		case unicode.IsSpace(c):
			i++
		case c == '\'':
			s, n, err := quoted(src[i:], '\'')
			if err != nil {
				return nil, fmt.Errorf("at %d: %w", i, err)
			}
			out = append(out, token{tokString, s, i})
			i += n
		case c == '"':
			s, n, err := quoted(src[i:], '"')
			if err != nil {
				return nil, fmt.Errorf("at %d: %w", i, err)
			}
			out = append(out, token{tokIdent, s, i})
			i += n
		case c == '_' || isAlnum(src[i]) && !(c >= '0' && c <= '9'):
			j := i
			for j < len(src) && (src[j] == '_' || isAlnum(src[j])) {
				j++
			}
			out = append(out, token{tokIdent, src[i:j], i})
			i = j
		case c >= '0' && c <= '9':
			j := i
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.' && j+1 < len(src) && src[j+1] >= '0' && src[j+1] <= '9') {
				j++
			}
			out = append(out, token{tokNumber, src[i:j], i})
			i = j
		default:
			sym := src[i : i+1]
			if i+1 < len(src) && twoCharOps[src[i:i+2]] {
				sym = src[i : i+2]
			}
			if !strings.Contains("*,.()=<>!+-/%[]", sym[:1]) {
				return nil, fmt.Errorf("at %d: unexpected character %q", i, sym[:1])
			}
			out = append(out, token{tokSymbol, sym, i})
			i += len(sym)
		}
	}
	return append(out, token{kind: tokEOF, pos: len(src)}), nil
}

var twoCharOps = map[string]bool{"<>": true, "<=": true, ">=": true, "!=": true}

func isAlnum(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// quoted reads a quoted run starting at s[0]; a doubled quote is an escaped
// quote. It returns the text and the number of bytes consumed.
func quoted(s string, q byte) (string, int, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] != q {
			b.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == q {
			b.WriteByte(q)
			i++
			continue
		}
		return b.String(), i + 1, nil
	}
	return "", 0, fmt.Errorf("unterminated %c", q)
}
