package policy

import (
	"strings"
	"unicode/utf8"
)

// partKind is the kind of one piece of a compiled pattern.
type partKind uint8

const (
	partLiteral partKind = iota // text matched exactly
	partStar                    // `*`: any run of characters, `/` included
	partOne                     // `?`: exactly one character
	partVar                     // `${name}`: the context value, matched literally
)

type part struct {
	kind partKind
	text string // literal text or variable name
}

// pattern is a compiled Action, Resource or condition pattern.
type pattern struct {
	parts   []part
	hasVars bool
}

// compilePattern splits s into literals, wildcards and (when vars is true)
// policy variables. `$(*)`, `$(?)` and `$($)` stand for the literal
// characters `*`, `?` and `$`. An unterminated `${` is literal text.
func compilePattern(s string, vars bool) pattern {
	var p pattern
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			p.parts = append(p.parts, part{kind: partLiteral, text: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); {
		switch {
		case s[i] == '*':
			flush()
			p.parts = append(p.parts, part{kind: partStar})
			i++
		case s[i] == '?':
			flush()
			p.parts = append(p.parts, part{kind: partOne})
			i++
		case vars && strings.HasPrefix(s[i:], "$(") && len(s) >= i+4 && s[i+3] == ')' && strings.ContainsRune("*?$", rune(s[i+2])):
			lit.WriteByte(s[i+2])
			i += 4
		case vars && strings.HasPrefix(s[i:], "${") && strings.IndexByte(s[i:], '}') > 2:
			end := i + strings.IndexByte(s[i:], '}')
			flush()
			p.parts = append(p.parts, part{kind: partVar, text: s[i+2 : end]})
			p.hasVars = true
			i = end + 1
		default:
			lit.WriteByte(s[i])
			i++
		}
	}
	flush()
	return p
}

// resolve replaces variables by their context values. ok is false when a
// variable has no value: such a pattern matches nothing.
func (p pattern) resolve(ctx map[string]string) (parts []part, ok bool) {
	if !p.hasVars {
		return p.parts, true
	}
	parts = make([]part, len(p.parts))
	for i, pt := range p.parts {
		if pt.kind != partVar {
			parts[i] = pt
			continue
		}
		v, found := ctx[pt.text]
		if !found {
			return nil, false
		}
		parts[i] = part{kind: partLiteral, text: v}
	}
	return parts, true
}

// match reports whether s matches p after variable substitution. fold
// compares ASCII case-insensitively (IAM action names).
func (p pattern) match(s string, ctx map[string]string, fold bool) bool {
	parts, ok := p.resolve(ctx)
	if !ok {
		return false
	}
	return globMatch(parts, s, fold)
}

// globMatch is the classic wildcard matcher: literals and `?` advance, and
// on a mismatch the last `*` absorbs one more character and matching
// resumes after it. Every literal piece is matched at its earliest position,
// which makes backtracking to the last star sufficient.
func globMatch(parts []part, s string, fold bool) bool {
	pi, si := 0, 0
	starPart, starPos := -1, 0
	for {
		if pi < len(parts) {
			pt := parts[pi]
			switch pt.kind {
			case partStar:
				starPart, starPos = pi, si
				pi++
				continue
			case partOne:
				if si < len(s) {
					_, w := utf8.DecodeRuneInString(s[si:])
					si += w
					pi++
					continue
				}
			default:
				if hasPrefix(s[si:], pt.text, fold) {
					si += len(pt.text)
					pi++
					continue
				}
			}
		} else if si == len(s) {
			return true
		}
		if starPart < 0 || starPos >= len(s) {
			return false
		}
		_, w := utf8.DecodeRuneInString(s[starPos:])
		starPos += w
		pi, si = starPart+1, starPos
	}
}

func hasPrefix(s, prefix string, fold bool) bool {
	if len(s) < len(prefix) {
		return false
	}
	if fold {
		return strings.EqualFold(s[:len(prefix)], prefix)
	}
	return s[:len(prefix)] == prefix
}
