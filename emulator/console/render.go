package console

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// view is the frame of every page: the layout around its content.
type view struct {
	Title string
	Nav   string // the nav entry to highlight
	CSRF  string
	Auth  bool // credentials are configured: show the log-out button
	// Print is the fingerprint of what the page shows (events.go): the
	// page's live-update stream starts from it, so a change between the
	// render and the stream's start is not missed.
	Print string
}

// content writes a page's content, inside the layout.
type content func(h *htmlw, v *view)

// render writes a page.
func (c *Console) render(w http.ResponseWriter, r *http.Request, v view, body content) {
	v.CSRF, v.Auth = c.csrfToken(w, r), len(c.cfg.Credentials) > 0
	v.Print, _ = r.Context().Value(printKey{}).(string)
	var h htmlw
	layout(&h, &v, body)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(h.b.Bytes())
}

// navEntries are the header's links: nav name, path, label.
var navEntries = [][3]markup{
	{"machines", "/console/", "State machines"},
	{"clients", "/console/iot/clients", "MQTT clients"},
	{"messages", "/console/iot/messages", "Messages"},
	{"rules", "/console/iot/rules", "Rules"},
	{"certificates", "/console/iot/certificates", "Certificates"},
}

func layout(h *htmlw, v *view, body content) {
	h.m(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>`).text(v.Title).m(` · stepwire</title>
<link rel="stylesheet" href="/console/static/console.css">
<script src="/console/static/console.js" defer></script>
</head>
<body data-print="`).text(v.Print).m(`">
<header>
  <a class="brand" href="/console/">stepwire</a>
  <nav>
`)
	for _, e := range navEntries {
		h.m(`    <a href="`).m(e[1]).m(`"`).when(v.Nav == string(e[0]), ` class="on"`).m(`>`).m(e[2]).m("</a>\n")
	}
	h.m("  </nav>\n")
	if v.Auth {
		h.m(`  <form method="post" action="/console/logout" class="logout">`).csrf(v).m("<button>Log out</button></form>\n")
	}
	h.m(`  <span id="live-dot" title="live updates"></span>
</header>
<main>
`)
	body(h, v)
	h.m(`</main>
</body>
</html>
`)
}

// csrf writes the hidden input with the page's CSRF token.
func (h *htmlw) csrf(v *view) *htmlw {
	return h.m(`<input type="hidden" name="csrf" value="`).text(v.CSRF).m(`">`)
}

// printKey holds, in a page request's context, the fingerprint taken
// before the page read anything: a change while it renders then shows as
// a difference, never as a missed update.
type printKey struct{}

// withPrint takes the fingerprint of a page before it is built.
func (c *Console) withPrint(r *http.Request) *http.Request {
	if r.Method != http.MethodGet || r.URL.Path == "/console/events" {
		return r
	}
	return r.WithContext(context.WithValue(r.Context(), printKey{}, c.fingerprint(r.Context(), r.URL)))
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05.000")
}

// shortArn is the last part of an ARN, after its last ':'.
func shortArn(a string) string {
	if i := strings.LastIndexByte(a, ':'); i >= 0 {
		return a[i+1:]
	}
	return a
}

// maxShownJSON bounds what one expandable cell shows.
const maxShownJSON = 64 << 10

// prettyJSON indents a JSON document, or returns the text as it is when
// it is not one; both cut at maxShownJSON.
func prettyJSON(s string) string {
	var buf bytes.Buffer
	if len(s) <= maxShownJSON && json.Indent(&buf, []byte(s), "", "  ") == nil {
		s = buf.String()
	}
	if len(s) > maxShownJSON {
		s = s[:maxShownJSON] + "\n… (cut)"
	}
	return s
}
