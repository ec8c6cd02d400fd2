package rules

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Reference §3.1 [Doc mqtt]: `sensor/#` gets `sensor/` and `sensor/x` but
// not `sensor`; §4.1: FROM filters use `+` and `#` as in MQTT.
func TestSpecMatchFilter(t *testing.T) {
	tests := []struct {
		filter, topic string
		want          bool
	}{
		{"tenant1/to/lambda", "tenant1/to/lambda", true},
		{"tenant1/to/lambda", "tenant1/to/lambdas", false},
		{"tenant1/to/lambda", "tenant1/to", false},
		{"sensor/#", "sensor/x", true},
		{"sensor/#", "sensor/", true},
		{"sensor/#", "sensor/x/y", true},
		{"sensor/#", "sensor", false},
		{"#", "a/b", true},
		{"+/to/lambda", "tenant2/to/lambda", true},
		{"+/to/lambda", "a/b/to/lambda", false},
		{"a/+", "a/", true},
		{"a/+", "a", false},
		{"a/+/c", "a/b/c", true},
		{"#", "$aws/events/x", false},
		{"+/events", "$aws/events", false},
		{"$aws/events/#", "$aws/events/x", true},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, MatchFilter(tt.filter, tt.topic), "%s vs %s", tt.filter, tt.topic)
	}
}

func TestValidFilter(t *testing.T) {
	for f, want := range map[string]bool{"a/b": true, "a/+/c": true, "a/#": true, "#": true, "": false, "a/#/c": false, "a+": false, "a/b#": false} {
		require.Equal(t, want, ValidFilter(f), f)
	}
}
