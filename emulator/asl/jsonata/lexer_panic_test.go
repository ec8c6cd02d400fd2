package jsonata

import "testing"

// The engine's lexer panics on some multi-byte input; Compile turns that
// into a syntax error instead of a panic (found by FuzzCompile).
func TestCompileLexerPanicIsAnError(t *testing.T) {
	for _, text := range []string{"!é", "~é", "a 0.\ufffd", "!ϩ", "0-0!쩳"} {
		if _, err := Default.Compile(text); err == nil {
			t.Errorf("Compile(%q) succeeded, want a syntax error", text)
		}
	}
}
