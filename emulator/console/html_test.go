package console

import (
	"html"
	"net/url"
	"strings"
	"testing"
)

// hostile are values a state machine, an execution, an MQTT client or a
// request can carry into a page.
var hostile = []string{
	`<script>alert(1)</script>`,
	`"><script>alert(1)</script>`,
	`' onmouseover='alert(1)`,
	`" onfocus="alert(1)" autofocus x="`,
	`</textarea><img src=x onerror=alert(1)>`,
	`&lt;script&gt;`,
	"nul\x00byte",
	`javascript:alert(1)`,
	"é ☃ \xff",
}

func TestTextEscapesForTextAndQuotedAttributes(t *testing.T) {
	for _, s := range hostile {
		var h htmlw
		out := h.text(s).b.String()
		// Nothing can end the quoted attribute or open a tag, and the
		// browser reads back the value (NUL replaced, as html/template does).
		if strings.ContainsAny(out, "<>\"'\x00") {
			t.Errorf("text(%q) = %q leaves markup", s, out)
		}
		if got, want := html.UnescapeString(out), strings.ReplaceAll(s, "\x00", "\uFFFD"); got != want {
			t.Errorf("text(%q) = %q reads back as %q", s, out, got)
		}
	}
	var h htmlw
	h.text(`a<b>&"c'+` + "\x00")
	if got, want := h.b.String(), "a&lt;b&gt;&amp;&#34;c&#39;&#43;\uFFFD"; got != want {
		t.Errorf("text: %q, want %q", got, want)
	}
}

func TestCutCountsCharacters(t *testing.T) {
	for _, c := range []struct {
		s    string
		n    int
		want string
	}{
		{"abcdef", 3, "abc"},
		{"ab", 3, "ab"},
		{"ééé<", 4, "ééé&lt;"},
		{"ééé<", 2, "éé"},
		{"<script>", 1, "&lt;"},
	} {
		var h htmlw
		if got := h.cut(c.s, c.n).b.String(); got != c.want {
			t.Errorf("cut(%q, %d) = %q, want %q", c.s, c.n, got, c.want)
		}
	}
}

func TestQueryRoundTrips(t *testing.T) {
	for _, s := range append(hostile, "a b+c&d=e#f?g/h%20", "arn:aws:states:us-east-1:123456789012:execution:m:n") {
		var h htmlw
		out := h.query(s).b.String()
		if strings.Trim(out, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~%") != "" {
			t.Errorf("query(%q) = %q: more than unreserved characters and escapes", s, out)
		}
		// What the browser sends back is what the console reads.
		if q, err := url.ParseQuery("v=" + out); err != nil || q.Get("v") != s {
			t.Errorf("query(%q) = %q reads back as %q (%v)", s, out, q.Get("v"), err)
		}
	}
}

func TestURLRefusesScriptSchemes(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"/console/executions?machine=arn%3Aa&start=50", "/console/executions?machine=arn%3Aa&amp;start=50"},
		{"https://example.com/a?b=c", "https://example.com/a?b=c"},
		{"HTTP://example.com/", "HTTP://example.com/"},
		{"mailto:a@example.com", "mailto:a@example.com"},
		{"?a=b:c", "?a=b:c"},
		{"#part", "#part"},
		{"javascript:alert(1)", unsafeURL},
		{"JavaScript:alert(1)", unsafeURL},
		{" javascript:alert(1)", unsafeURL},
		{"java\tscript:alert(1)", unsafeURL},
		{"java\x00script:alert(1)", unsafeURL},
		{"vbscript:msgbox(1)", unsafeURL},
		{"data:text/html,<script>alert(1)</script>", unsafeURL},
		{"\xffjavascript:alert(1)", unsafeURL},
		{`/a"><script>alert(1)</script>`, "/a%22%3E%3Cscript%3Ealert%281%29%3C/script%3E"},
		{"/a b'é", "/a%20b%27%C3%A9"},
	} {
		var h htmlw
		if got := h.url(c.in).b.String(); got != c.want {
			t.Errorf("url(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestPagesEscapeWhatTheyShow renders every page with hostile values and
// finds none of them unescaped.
func TestPagesEscapeWhatTheyShow(t *testing.T) {
	bad := `"'><script>alert(1)</script>`
	rows := []machineRow{{Arn: bad, Name: bad, Type: bad}}
	pages := map[string]content{
		"login":        loginContent(bad, true),
		"machines":     machinesContent(rows),
		"executions":   executionsContent(executionsView{Filter: execFilter{Name: bad}, Next: "javascript:alert(1)", Prev: bad}),
		"execution":    executionContent(&executionView{GraphErr: bad, Output: bad, Events: []eventRow{{Type: bad, Details: bad, Summary: bad, Class: bad}}}),
		"clients":      clientsContent(nil),
		"messages":     messagesContent(messagesView{Filter: bad, Messages: []messageRow{{Preview: bad, Time: bad}}}),
		"rules":        rulesContent(nil, nil),
		"certificates": certificatesContent([]certRow{{ID: bad, Status: bad, Policies: []string{bad}}}),
	}
	for name, body := range pages {
		var h htmlw
		layout(&h, &view{Title: bad, Nav: name, CSRF: bad, Auth: true, Print: bad}, body)
		out := h.b.String()
		if strings.Contains(out, "<script>alert") || strings.Contains(out, `"'>`) || strings.Contains(out, "javascript:alert") {
			t.Errorf("%s shows a value unescaped:\n%s", name, out)
		}
		if !strings.Contains(out, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s does not show the value escaped:\n%s", name, out)
		}
	}
}
