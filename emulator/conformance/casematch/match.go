// Package casematch compares what stepwire did with a Step Functions case
// recorded on real AWS (testdata/conformance/sfn, rules in its README):
// values in which placeholders (<arn>, <token>, ...) stand for anything,
// error and cause texts, and execution histories in their wire shape.
//
// Both replays of the recorded cases use it: the interpreter's (interp
// tests, the Machine alone) and the service's (emulator/conformance,
// through the public API).
package casematch

import (
	"strings"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// Placeholders stand where a recording hid run-specific values.
var Placeholders = []string{"<arn>", "<token>", "<timestamp>", "<uuid>", "<name>", "<region>", "<account>", "<url>", "<any>"}

func isPlaceholder(s string) bool {
	return placeholderAt(s) == len(s) && s != ""
}

// placeholderAt returns the length of the placeholder s starts with, 0 if
// it starts with none. Besides the placeholders themselves it reads the
// form the recording tool gives a value it replaced by reference, where
// every occurrence of one run-specific value gets the same numbered name:
// "<" + name + ":" + n + ">" (LocalStack's snapshot transformers with
// replace_reference). Where that name was itself normalised to a
// placeholder, the recording holds "<<token>:1>"; it stands for a value as
// the placeholder does. That two references with the same number stand
// for the same value is not checked.
func placeholderAt(s string) int {
	if strings.HasPrefix(s, "<") {
		if n := plainPlaceholderAt(s[1:]); n > 0 && n+1 < len(s) && s[1+n] == ':' {
			i := 2 + n
			for i < len(s) && s[i] >= '0' && s[i] <= '9' {
				i++
			}
			if i > 2+n && i < len(s) && s[i] == '>' {
				return i + 1
			}
		}
	}
	return plainPlaceholderAt(s)
}

// plainPlaceholderAt is placeholderAt for the placeholders alone.
func plainPlaceholderAt(s string) int {
	for _, p := range Placeholders {
		if strings.HasPrefix(s, p) {
			return len(p)
		}
	}
	return 0
}

// Value compares JSON values (package jsonv); an expected string that is a
// placeholder matches any value, and placeholders inside an expected
// string match any text.
func Value(want, got any) bool {
	switch w := want.(type) {
	case string:
		if isPlaceholder(w) {
			return true
		}
		g, ok := got.(string)
		return ok && String(w, g)
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !Value(w[i], g[i]) {
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
			if !ok || !Value(m.Value, v) {
				return false
			}
		}
		return true
	}
	return jsonv.Equal(want, got)
}

// Text compares an error or cause text: want is a string with
// placeholders, or a JSON value standing for JSON text (got is parsed
// before comparing).
func Text(want any, got string) bool {
	if s, ok := want.(string); ok {
		return isPlaceholder(s) || String(s, got)
	}
	v, err := jsonv.DecodeString(got)
	return err == nil && Value(want, v)
}

// String matches a string in which each placeholder stands for any
// substring (the empty one included).
func String(want, got string) bool {
	if !strings.Contains(want, "<") {
		return want == got
	}
	parts := literals(want)
	if len(parts) == 1 {
		return want == got
	}
	first, last := parts[0], parts[len(parts)-1]
	if !strings.HasPrefix(got, first) {
		return false
	}
	rest := got[len(first):]
	// Each literal between two placeholders is taken at its leftmost
	// place: any later place would leave less room for the rest.
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(rest, p)
		if i < 0 {
			return false
		}
		rest = rest[i+len(p):]
	}
	return strings.HasSuffix(rest, last)
}

// literals splits want at its placeholders.
func literals(want string) []string {
	var out []string
	start := 0
	for i := 0; i < len(want); i++ {
		if want[i] != '<' {
			continue
		}
		if n := placeholderAt(want[i:]); n > 0 {
			out = append(out, want[start:i])
			start = i + n
			i = start - 1
		}
	}
	return append(out, want[start:])
}
