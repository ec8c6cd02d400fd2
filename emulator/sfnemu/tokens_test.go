package sfnemu

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Reference §2.3 "EMU token design": tokens are authenticated and name
// their execution; anything else is InvalidToken.
func TestTokenRoundTrip(t *testing.T) {
	c := newTokenCodec([]byte("key"))
	tok := c.mint(42, 7)
	require.Len(t, tok, 700)
	ref, err := c.parse(tok)
	require.NoError(t, err)
	require.Equal(t, uint64(42), ref.exec)
	require.Equal(t, uint32(7), ref.seq)
	require.True(t, c.current(ref))
	// A token is a function of the key and its fields, so that replay
	// mints it again (journal_tokens.go); its padding, keyed, changes with
	// every field and with the key.
	require.Equal(t, tok, c.mint(42, 7))
	require.NotEqual(t, tok[30:600], c.mint(42, 8)[30:600])
	require.NotEqual(t, tok[30:600], newTokenCodec([]byte("other key")).mint(42, 7)[30:600])

	restarted := newTokenCodec([]byte("key"))
	ref, err = restarted.parse(tok)
	require.NoError(t, err, "a token of an earlier run with the same key still decodes")
	require.False(t, restarted.current(ref), "but names no task of this run")
}

func TestTokenParseRejects(t *testing.T) {
	c := newTokenCodec(nil)
	good := c.mint(1, 1)
	flip := []byte(good)
	flip[100] = 'A'
	if good[100] == 'A' {
		flip[100] = 'B'
	}
	tests := map[string]string{
		"garbage":       "FakeTaskToken",
		"empty":         "",
		"tampered":      string(flip),
		"other key":     newTokenCodec([]byte("other")).mint(1, 1),
		"not base64":    strings.Repeat("!", 700),
		"url alphabet":  strings.NewReplacer("+", "-", "/", "_").Replace(good),
		"truncated":     good[:696],
		"right length":  strings.Repeat("A", 700),
		"appended data": good + "AAAA",
	}
	for name, tok := range tests {
		t.Run(name, func(t *testing.T) {
			if tok == good {
				t.Skip("token has no '+' or '/' to rewrite")
			}
			_, err := c.parse(tok)
			require.True(t, errors.Is(err, ErrInvalidToken), "got %v", err)
		})
	}
}
