package console

import (
	"bytes"
	"context"
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// pageNames are the templates under templates/, each rendered inside
// layout.html.
var pageNames = []string{"login", "machines", "executions", "execution", "clients", "messages", "rules", "certificates"}

var funcs = template.FuncMap{
	"ts":    func(t time.Time) string { return fmtTime(t) },
	"short": shortArn,
	"json":  prettyJSON,
	"pct":   func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) },
	"deref": deref,
}

func parsePages() map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, name := range pageNames {
		out[name] = template.Must(template.New("layout.html").Funcs(funcs).
			ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
	}
	return out
}

// view is what every page template gets.
type view struct {
	Title   string
	Nav     string // the nav entry to highlight
	CSRF    string
	Auth    bool // credentials are configured: show the log-out button
	Message string
	Page    any
	// Print is the fingerprint of what the page shows (events.go): the
	// page's live-update stream starts from it, so a change between the
	// render and the stream's start is not missed.
	Print string
}

// render writes a page; a template error is a 500 with nothing half
// written.
func (c *Console) render(w http.ResponseWriter, r *http.Request, name string, page any) {
	c.renderView(w, r, name, view{Page: page})
}

func (c *Console) renderView(w http.ResponseWriter, r *http.Request, name string, v view) {
	v.CSRF, v.Auth = c.csrfToken(w, r), len(c.cfg.Credentials) > 0
	v.Print, _ = r.Context().Value(printKey{}).(string)
	if v.Title == "" {
		v.Title = name
	}
	if v.Nav == "" {
		v.Nav = name
	}
	var buf bytes.Buffer
	if err := c.pages[name].Execute(&buf, v); err != nil {
		c.log.Error("console page failed", "page", name, "error", err)
		http.Error(w, "console: render "+name+": "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
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
