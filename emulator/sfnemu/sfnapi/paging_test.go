package sfnapi

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/emulator/sfnemu"
)

// Tokens round-trip per list kind; anything else is an invalid page.
func TestPageTokens(t *testing.T) {
	tok := nextToken("ex", 7)
	tests := []struct {
		name, kind, token string
		want              sfnemu.Page
	}{
		{"first page", "ex", "", sfnemu.Page{Size: 5}},
		{"round trip", "ex", tok, sfnemu.Page{Start: 7, Size: 5}},
		{"other list", "sm", tok, sfnemu.Page{Start: 7, Size: 5, Invalid: true}},
		{"garbage", "ex", "garbage", sfnemu.Page{Size: 5, Invalid: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, page(tt.kind, 5, tt.token))
		})
	}
	require.Empty(t, nextToken("ex", 0), "no token after the last page")
}
