package iotemu

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// docs/iot-core.md §8.4: with RequireSNI, a ClientHello without a server
// name is refused before the handshake completes; any name is accepted.
// Without it, both connect.
func TestSpecRequireSNI(t *testing.T) {
	for _, required := range []bool{true, false} {
		s := startServiceWith(t, func(c *Config) { c.RequireSNI = required })
		noSNI := setupThing(t, s, "dev", "") // dials 127.0.0.1: Go sends no SNI
		_, _, err := dial(t, s, noSNI, "dev")
		if required {
			require.Error(t, err, "no SNI")
		} else {
			require.NoError(t, err)
		}
		named := noSNI.Clone()
		named.ServerName = "localhost"
		_, _, err = dial(t, s, named, "dev")
		require.NoError(t, err, "SNI localhost, required=%v", required)
	}
}
