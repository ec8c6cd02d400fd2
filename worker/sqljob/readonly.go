package sqljob

import (
	"fmt"
	"strings"
)

// dialect is the SQL the database speaks; the lexical check reads quotes
// and comments as that database does.
type dialect int

const (
	sqlite dialect = iota
	postgres
)

func (d dialect) String() string {
	if d == postgres {
		return "PostgreSQL"
	}
	return "SQLite"
}

// readStarts are the words a read may begin with (after any opening
// parentheses): a query, a query with common table expressions, or a row
// constructor.
var readStarts = map[string]bool{"SELECT": true, "WITH": true, "VALUES": true}

// writeWords are refused anywhere outside quotes and comments: each turns a
// SELECT, WITH or VALUES statement into a write (WITH x AS (DELETE ...),
// WITH ... INSERT INTO, SELECT ... INTO new_table, SELECT ... FOR UPDATE).
// A column with one of these names must be quoted ("update").
var writeWords = map[string]bool{"INSERT": true, "UPDATE": true, "DELETE": true, "MERGE": true, "INTO": true}

// checkReadOnly is the lexical half of the read-only rule (the database
// enforces the other half, see open.go): q must be one statement, optionally
// ending with a semicolon, that starts with SELECT, WITH or VALUES and holds
// none of writeWords. Quotes and comments are read as d reads them; what
// the check cannot read with certainty (an unterminated quote or comment, a
// nested comment) is refused. The error's text says why.
func checkReadOnly(q string, d dialect) error {
	toks, err := lex(q, d)
	if err != nil {
		return err
	}
	for i, t := range toks {
		if t == ";" && i != len(toks)-1 {
			return fmt.Errorf("the query holds more than one statement; send one")
		}
	}
	if len(toks) > 0 && toks[len(toks)-1] == ";" {
		toks = toks[:len(toks)-1]
	}
	first := ""
	for _, t := range toks {
		if t != "(" {
			first = t
			break
		}
	}
	if !readStarts[first] {
		if first == "" {
			return fmt.Errorf("the query is empty")
		}
		return fmt.Errorf("the query starts with %s; only SELECT, WITH ... SELECT and VALUES are allowed", first)
	}
	for _, t := range toks {
		if writeWords[t] {
			return fmt.Errorf("the query uses %s, which writes; only reads are allowed (quote a column of that name)", t)
		}
	}
	return nil
}

// lex splits q into the tokens the check needs: unquoted words in upper
// case, and the punctuation "(" and ";". Quoted strings, quoted
// identifiers, parameters, numbers and comments are skipped.
func lex(q string, d dialect) ([]string, error) {
	var toks []string
	for i := 0; i < len(q); {
		c := q[i]
		var n int
		var err error
		switch {
		case c == ';' || c == '(':
			toks = append(toks, string(c))
			n = 1
		case c == '-' && strings.HasPrefix(q[i:], "--"):
			n = lineComment(q[i:])
		case c == '/' && strings.HasPrefix(q[i:], "/*"):
			n, err = blockComment(q[i:])
		case c == '\'':
			n, err = quoted(q[i:], '\'', false)
		case c == '"':
			n, err = quoted(q[i:], '"', false)
		case d == sqlite && c == '`':
			n, err = quoted(q[i:], '`', false)
		case d == sqlite && c == '[':
			n, err = bracketed(q[i:])
		case d == postgres && c == '$' && i+1 < len(q) && !isDigit(q[i+1]):
			n, err = dollarQuoted(q[i:])
		case d == sqlite && (c == '$' || c == ':' || c == '@'):
			n = 1 + wordLen(q[i+1:]) // a named parameter
		case isWordStart(c):
			n = wordLen(q[i:])
			if d == postgres && n == 1 && (c == 'e' || c == 'E') && i+1 < len(q) && q[i+1] == '\'' {
				m, qerr := quoted(q[i+1:], '\'', true) // E'...': backslash escapes
				n, err = 1+m, qerr
				break
			}
			toks = append(toks, strings.ToUpper(q[i:i+n]))
		default:
			n = 1
		}
		if err != nil {
			return nil, err
		}
		i += n
	}
	return toks, nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isWordStart reports whether c starts a word: a keyword, an identifier, a
// number or a parameter name. Bytes of multi-byte UTF-8 count as letters.
func isWordStart(c byte) bool {
	return c == '_' || c >= 0x80 || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || isDigit(c)
}

// wordLen is the length of the word at the start of s; a word may hold $,
// as identifiers may in both databases.
func wordLen(s string) int {
	n := 0
	for n < len(s) && (isWordStart(s[n]) || s[n] == '$') {
		n++
	}
	return n
}

func lineComment(s string) int {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return i + 1
	}
	return len(s)
}

// blockComment measures /* ... */. PostgreSQL nests block comments and
// SQLite does not, so a comment that opens another is refused rather than
// read one way or the other.
func blockComment(s string) (int, error) {
	end := strings.Index(s[2:], "*/")
	if end < 0 {
		return 0, fmt.Errorf("the query has an unterminated /* comment")
	}
	if strings.Contains(s[2:2+end], "/*") {
		return 0, fmt.Errorf("the query has a nested /* comment")
	}
	return 2 + end + 2, nil
}

// quoted measures a string or identifier opened by q, in which q is escaped
// by doubling it and, when backslash is set, any byte by a backslash.
func quoted(s string, q byte, backslash bool) (int, error) {
	for i := 1; i < len(s); i++ {
		switch {
		case backslash && s[i] == '\\':
			i++
		case s[i] == q && i+1 < len(s) && s[i+1] == q:
			i++
		case s[i] == q:
			return i + 1, nil
		}
	}
	return 0, fmt.Errorf("the query has an unterminated %c quote", q)
}

// bracketed measures SQLite's [identifier].
func bracketed(s string) (int, error) {
	if i := strings.IndexByte(s, ']'); i >= 0 {
		return i + 1, nil
	}
	return 0, fmt.Errorf("the query has an unterminated [ identifier")
}

// dollarQuoted measures PostgreSQL's $tag$...$tag$ string (tag possibly
// empty). Anything else starting with $ but not a $n parameter is refused.
func dollarQuoted(s string) (int, error) {
	end := strings.IndexByte(s[1:], '$')
	if end < 0 {
		return 0, fmt.Errorf("the query has a $ that is neither a $n parameter nor a dollar quote")
	}
	tag := s[:end+2]
	for _, c := range []byte(tag[1 : len(tag)-1]) {
		if !isWordStart(c) {
			return 0, fmt.Errorf("the query has a $ that is neither a $n parameter nor a dollar quote")
		}
	}
	body := strings.Index(s[len(tag):], tag)
	if body < 0 {
		return 0, fmt.Errorf("the query has an unterminated %s quote", tag)
	}
	return len(tag) + body + len(tag), nil
}
