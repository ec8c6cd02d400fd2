package console

import (
	"bytes"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The console writes its HTML with htmlw rather than html/template:
// executing a template looks methods up by reflection, which makes the
// linker keep every exported method of every type in the binary (about
// 14 MB of the emulator's image, issue 13). What html/template decides by
// parsing, htmlw decides by type and by method:
//
//   - markup, the only thing written as it is, is a string type of its
//     own: a constant converts to it implicitly, a string read from a
//     request or a service does not (aslgraph's SVG, escaped by aslgraph,
//     is the one conversion);
//   - text escapes &, <, >, " and ' (and replaces NUL), so its result is
//     safe both between tags and inside a quoted attribute value, which is
//     where the pages put every value; no value is written into a
//     <script>, a <style>, an event handler or an unquoted attribute;
//   - query escapes a value for a URL's query string (inside a quoted
//     href or action);
//   - url writes a whole URL: a relative one, or one whose scheme is http,
//     https or mailto, as html/template allows; any other ("javascript:",
//     "data:", …) becomes "#ZgotmplZ", html/template's replacement.

// markup is HTML the console's code writes itself.
type markup string

// htmlw writes a page.
type htmlw struct{ b bytes.Buffer }

// m writes markup as it is.
func (h *htmlw) m(s markup) *htmlw {
	h.b.WriteString(string(s))
	return h
}

// text writes s escaped, for between tags or in a quoted attribute value.
func (h *htmlw) text(s string) *htmlw {
	htmlEscaper.WriteString(&h.b, s)
	return h
}

// cut writes s escaped, cut at n characters (runes), as printf's %.ns.
func (h *htmlw) cut(s string, n int) *htmlw {
	for i := range s {
		if n == 0 {
			s = s[:i]
			break
		}
		n--
	}
	return h.text(s)
}

// int writes a number.
func (h *htmlw) int(n int64) *htmlw {
	h.b.WriteString(strconv.FormatInt(n, 10))
	return h
}

// time writes a time as the console shows times (fmtTime).
func (h *htmlw) time(t time.Time) *htmlw { return h.text(fmtTime(t)) }

// query writes s escaped for a URL's query string, a space as %20 (as
// html/template does).
func (h *htmlw) query(s string) *htmlw {
	return h.text(strings.ReplaceAll(url.QueryEscape(s), "+", "%20"))
}

// url writes a URL for an href or an action: safeURL, normalized as
// html/template does (a byte that may not appear in a URL is
// percent-encoded; an existing escape is kept).
func (h *htmlw) url(s string) *htmlw {
	s = safeURL(s)
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if urlByte(c) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return h.text(b.String())
}

// urlByte reports whether a URL may hold c as it is: an unreserved or a
// reserved character (RFC 3986), or % (an escape).
func urlByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!#$&*+,/:;=?@[]%", c) >= 0
}

// when writes s when cond holds.
func (h *htmlw) when(cond bool, s markup) *htmlw {
	if cond {
		h.m(s)
	}
	return h
}

// htmlEscaper is html/template's escaping of text and attribute values.
var htmlEscaper = strings.NewReplacer(
	"\x00", "\uFFFD",
	`"`, "&#34;",
	"'", "&#39;",
	"&", "&amp;",
	"+", "&#43;",
	"<", "&lt;",
	">", "&gt;",
)

// unsafeURL replaces a URL whose scheme is not allowed.
const unsafeURL = "#ZgotmplZ"

// safeURL is u when it is relative or its scheme is http, https or mailto
// (compared as browsers do, without case, spaces or control characters),
// else unsafeURL.
func safeURL(u string) string {
	if !utf8.ValidString(u) {
		return unsafeURL
	}
	scheme, _, ok := strings.Cut(u, ":")
	if !ok || strings.ContainsAny(scheme, "/?#") {
		return u // no scheme: relative
	}
	scheme = strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1 // browsers drop them: "java\tscript:" is javascript:
		}
		return r
	}, strings.ToLower(scheme))
	switch scheme {
	case "http", "https", "mailto":
		return u
	}
	return unsafeURL
}
