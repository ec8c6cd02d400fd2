package policy

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseRejectsMalformed(t *testing.T) {
	tests := []struct{ name, doc string }{
		{"not json", `{`},
		{"array top", `[]`},
		{"no statement", `{"Version":"2012-10-17"}`},
		{"empty statements", `{"Statement":[]}`},
		{"statement string", `{"Statement":"x"}`},
		{"bad effect", `{"Statement":{"Effect":"Maybe","Action":"*","Resource":"*"}}`},
		{"no action", `{"Statement":{"Effect":"Allow","Resource":"*"}}`},
		{"action and notaction", `{"Statement":{"Effect":"Allow","Action":"*","NotAction":"*","Resource":"*"}}`},
		{"no resource", `{"Statement":{"Effect":"Allow","Action":"*"}}`},
		{"action object", `{"Statement":{"Effect":"Allow","Action":{},"Resource":"*"}}`},
		{"empty action array", `{"Statement":{"Effect":"Allow","Action":[],"Resource":"*"}}`},
		{"unknown key", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Bogus":1}}`},
		{"unknown top key", `{"Bogus":1,"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`},
		{"condition not object", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":"x"}}`},
		{"too long", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"` + strings.Repeat("a", 2100) + `"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.doc)
			require.Error(t, err)
			require.True(t, errors.Is(err, ErrMalformed), err.Error())
		})
	}
}

func TestParseAcceptsShapes(t *testing.T) {
	docs := []string{
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iot:Connect","Resource":"*"}}`,
		`{"Version":"2012-10-17","Id":"x","Statement":[{"Sid":"a","Effect":"Deny","Action":["iot:Publish","iot:Receive"],"Resource":["a","b"]}]}`,
		"{\n  \"Statement\": {\"Effect\": \"Allow\", \"NotAction\": \"iot:Publish\", \"NotResource\": \"x\"}\n}",
		// Whitespace does not count towards the size limit.
		`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}` + strings.Repeat(" ", 3000),
	}
	for _, doc := range docs {
		_, err := Parse(doc)
		require.NoError(t, err, doc)
	}
}

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		pat, s string
		want   bool
	}{
		{"", "", true},
		{"", "a", false},
		{"*", "", true},
		{"*", "a/b/c", true},
		{"a*c", "abbbc", true},
		{"a*c", "abbbd", false},
		{"a*b*c", "aXbYbZc", true},
		{"a*b?c", "aXbYbZc", true},
		{"a*b?c", "aXbYbZZc", false},
		{"a*b?c", "aXbYc", true},
		{"?", "é", true},
		{"??", "é", false},
		{"*é", "aé", true},
		{"**", "x", true},
		{"a?", "a", false},
	}
	for _, tt := range tests {
		got := compilePattern(tt.pat, true).match(tt.s, nil, false)
		require.Equal(t, tt.want, got, "%q vs %q", tt.pat, tt.s)
	}
}
