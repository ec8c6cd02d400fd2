package mockconfig

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"not json", `{`, "unexpected EOF"},
		{"unknown top field", `{"Machines":{}}`, "unknown field"},
		{"missing response", `{"StateMachines":{"m":{"TestCases":{"c":{"S":"R"}}}}}`, `no mocked response "R"`},
		{"bad key", `{"MockedResponses":{"R":{"x":{"Return":1}}}}`, `attempt key "x"`},
		{"reversed range", `{"MockedResponses":{"R":{"2-1":{"Return":1}}}}`, `attempt key "2-1"`},
		{"overlap", `{"MockedResponses":{"R":{"0-2":{"Return":1},"1":{"Return":2}}}}`, "overlap"},
		{"two answers", `{"MockedResponses":{"R":{"0":{"Return":1,"Throw":{}}}}}`, "exactly one"},
		{"unknown answer", `{"MockedResponses":{"R":{"0":{"Result":1}}}}`, `unknown field "Result"`},
		{"bad throw", `{"MockedResponses":{"R":{"0":{"Throw":{"Reason":"x"}}}}}`, "Throw"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.doc))
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func TestAttempts(t *testing.T) {
	cfg, err := Parse([]byte(`{"StateMachines":{"m":{"TestCases":{"c":{"S":"R"}}}},
		"MockedResponses":{"R":{"0":{"Throw":{"Error":"E"}},"1-2":{"Return":{"n":1}}}}}`))
	require.NoError(t, err)
	for _, tc := range []struct {
		n      int
		ok     bool
		throws bool
	}{{0, true, true}, {1, true, false}, {2, true, false}, {3, false, false}} {
		r, ok := cfg.Response("R", tc.n)
		require.Equal(t, tc.ok, ok, "attempt %d", tc.n)
		require.Equal(t, tc.throws, r.Throw != nil, "attempt %d", tc.n)
	}
}
