package pattern

import "strings"

// wildcard is a compiled wildcard pattern: literal pieces that "*" (any
// run of characters, "/" included) separates.
type wildcard struct {
	pieces []string
}

// parseWildcard compiles a wildcard pattern. "\*" is a literal star and
// "\\" a literal backslash; any other escape and "**" are refused. The
// positions in the reasons count the opening quote, as EventBridge's do.
func parseWildcard(p string) (wildcard, *Error) {
	var w wildcard
	var cur strings.Builder
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '*':
			if i+1 < len(p) && p[i+1] == '*' {
				return wildcard{}, invalid("Consecutive wildcard characters at pos %d", i+1)
			}
			w.pieces = append(w.pieces, cur.String())
			cur.Reset()
		case '\\':
			if i+1 < len(p) && (p[i+1] == '*' || p[i+1] == '\\') {
				cur.WriteByte(p[i+1])
				i++
				continue
			}
			return wildcard{}, invalid("Invalid escape character at pos %d", i+1)
		default:
			cur.WriteByte(p[i])
		}
	}
	w.pieces = append(w.pieces, cur.String())
	return w, nil
}

// match reports whether s matches: the first piece is a prefix, the last a
// suffix, and the ones between occur in order.
func (w wildcard) match(s string) bool {
	if len(w.pieces) == 1 {
		return s == w.pieces[0]
	}
	first, last := w.pieces[0], w.pieces[len(w.pieces)-1]
	if len(s) < len(first)+len(last) || !strings.HasPrefix(s, first) || !strings.HasSuffix(s, last) {
		return false
	}
	rest := s[len(first) : len(s)-len(last)]
	for _, piece := range w.pieces[1 : len(w.pieces)-1] {
		i := strings.Index(rest, piece)
		if i < 0 {
			return false
		}
		rest = rest[i+len(piece):]
	}
	return true
}
