package conformance

import (
	"regexp"
	"strings"
	"sync"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// placeholders stand where a recording hid run-specific values.
var placeholders = []string{"<arn>", "<token>", "<timestamp>", "<uuid>", "<name>", "<region>", "<account>", "<url>", "<any>"}

func isPlaceholder(s string) bool {
	for _, p := range placeholders {
		if s == p {
			return true
		}
	}
	return false
}

// match compares JSON values; expected strings may hold placeholders.
func match(want, got any) bool {
	switch w := want.(type) {
	case string:
		if isPlaceholder(w) {
			return true
		}
		g, ok := got.(string)
		return ok && matchString(w, g)
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !match(w[i], g[i]) {
				return false
			}
		}
		return true
	case *jsonv.Object:
		g, ok := got.(*jsonv.Object)
		if !ok || g.Len() != w.Len() {
			return false
		}
		for _, m := range w.Members {
			v, ok := g.Get(m.Key)
			if !ok || !match(m.Value, v) {
				return false
			}
		}
		return true
	}
	return jsonv.Equal(want, got)
}

// matchText compares an error or cause text: a string with placeholders,
// or a JSON value standing for JSON text (parsed before comparing).
func matchText(want any, got string) bool {
	if s, ok := want.(string); ok {
		return isPlaceholder(s) || matchString(s, got)
	}
	v, err := jsonv.DecodeString(got)
	return err == nil && match(want, v)
}

var (
	patMu    sync.Mutex
	patCache = map[string]*regexp.Regexp{}
)

// matchString matches a string in which each placeholder stands for any
// substring.
func matchString(want, got string) bool {
	if !strings.Contains(want, "<") {
		return want == got
	}
	patMu.Lock()
	re, ok := patCache[want]
	if !ok {
		pat := regexp.QuoteMeta(want)
		for _, p := range placeholders {
			pat = strings.ReplaceAll(pat, regexp.QuoteMeta(p), "(?s:.*)")
		}
		re = regexp.MustCompile("^" + pat + "$")
		patCache[want] = re
	}
	patMu.Unlock()
	return re.MatchString(got)
}

// short cuts a text for a one-line report.
func short(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
