package sfnemu

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/interp"
)

// TestJournaledTokensAreNumbers: a SendTask* event keeps its token as
// "#<number>" when minting gives the token back, and replay mints it
// again; any other token, such as one whose padding was random (a state
// file written before tokens were minted again), is kept whole.
func TestJournaledTokensAreNumbers(t *testing.T) {
	s := &Service{tokens: newTokenCodec([]byte("key"))}
	e := &execution{id: 9}
	tok := s.tokens.mint(9, 3)
	raw, _ := base64.StdEncoding.DecodeString(tok)
	raw[30] ^= 1 // another padding, a valid MAC: a token of an older run
	copy(raw[tokenRawLen-tokenMACLen:], s.tokens.mac(raw[:tokenRawLen-tokenMACLen]))
	older := base64.StdEncoding.EncodeToString(raw)
	other := s.tokens.mint(10, 3) // another execution's
	for _, tc := range []struct {
		name  string
		ev    interp.Event
		short interp.Event
	}{
		{"success", interp.CallbackSuccess{Token: tok, Output: "{}"}, interp.CallbackSuccess{Token: "#3", Output: "{}"}},
		{"failure", interp.CallbackFailure{Token: tok, Failure: asl.Failure{Error: "E"}}, interp.CallbackFailure{Token: "#3", Failure: asl.Failure{Error: "E"}}},
		{"heartbeat", interp.CallbackHeartbeat{Token: tok}, interp.CallbackHeartbeat{Token: "#3"}},
		{"older token", interp.CallbackHeartbeat{Token: older}, interp.CallbackHeartbeat{Token: older}},
		{"other execution", interp.CallbackHeartbeat{Token: other}, interp.CallbackHeartbeat{Token: other}},
		{"not a callback", interp.TimerFired{TimerID: "t"}, interp.TimerFired{TimerID: "t"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			short := s.shortToken(e, tc.ev)
			require.Equal(t, tc.short, short)
			full, err := s.fullToken(e, short)
			require.NoError(t, err)
			require.Equal(t, tc.ev, full)
		})
	}
	_, err := s.fullToken(e, interp.CallbackHeartbeat{Token: "#x"})
	require.Error(t, err)
}
