package policy

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzParse(f *testing.F) {
	f.Add(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iot:Connect","Resource":"arn:aws:iot:*:*:client/${iot:ClientId}"}}`)
	f.Add(`{"Statement":[{"Effect":"Deny","NotAction":["*"],"NotResource":"$(*)","Condition":{"Bool":{"k":true}}}]}`)
	f.Add(`{"Statement":[]}`)
	f.Add(`{"Statement":{"Effect":"Allow","Action":"*","Resource":"${unterminated"}}`)
	f.Fuzz(func(t *testing.T, doc string) {
		p, err := Parse(doc)
		if err != nil {
			return
		}
		// A parsed policy evaluates without panicking, and its decision is
		// consistent.
		d := Evaluate([]*Policy{p}, Request{Action: "iot:Connect", Resource: "arn:aws:iot:r:a:client/x", Context: map[string]string{"iot:ClientId": "x"}})
		if d.Allowed && d.ExplicitDeny {
			t.Fatalf("decision both allowed and denied: %+v", d)
		}
	})
}

// FuzzMatch checks the glob matcher against a regular-expression oracle for
// patterns without variables.
func FuzzMatch(f *testing.F) {
	seeds := [][2]string{
		{"topic/a/*", "topic/a/b/c"},
		{"a?c", "abc"},
		{"*b*", "aaa"},
		{"+/#", "+/#"},
		{"a*?*b", "ab"},
		{"é?", "éé"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pat, s string) {
		if strings.Contains(pat, "$") || !utf8.ValidString(pat) || !utf8.ValidString(s) {
			return // variables have no oracle; the oracle reads invalid UTF-8 differently
		}
		var re strings.Builder
		re.WriteString("^")
		for _, r := range pat {
			switch r {
			case '*':
				re.WriteString("(?s:.*)")
			case '?':
				re.WriteString("(?s:.)")
			default:
				re.WriteString(regexp.QuoteMeta(string(r)))
			}
		}
		re.WriteString("$")
		want := regexp.MustCompile(re.String()).MatchString(s)
		if got := compilePattern(pat, false).match(s, nil, false); got != want {
			t.Fatalf("match(%q, %q) = %v, regexp says %v", pat, s, got, want)
		}
	})
}
