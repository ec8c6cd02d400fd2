package sfnemu

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

// Conformance test_invalid_start_execution_input_*: AWS answers with
// Jackson's parser texts.
func TestCheckInput(t *testing.T) {
	tests := []struct{ input, message string }{
		{`{"a":1}`, ""},
		{`[1,2]`, ""},
		{`"text"`, ""},
		{"", "Invalid execution input."},
		{"not some json", "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"},
		{"{'not': 'json'", "Unexpected character (''' (code 39)): was expecting double-quote to start field name"},
		{`{"a":1,'b':2}`, "Unexpected character (''' (code 39)): was expecting double-quote to start field name"},
		{`[1,#]`, "Unexpected character ('#' (code 35)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"},
		{`{"a":`, "Unexpected end-of-input"},
	}
	for _, tt := range tests {
		t.Run(tt.input, func(t *testing.T) {
			err := checkInput(tt.input)
			if tt.message == "" {
				require.NoError(t, err)
				return
			}
			require.True(t, errors.Is(err, ErrInvalidExecutionInput))
			var se *Error
			require.ErrorAs(t, err, &se)
			require.Equal(t, tt.message, se.Detail) // sfnapi quotes it: "Invalid State Machine Execution Input: '<detail>'"
		})
	}
}

// Reference §2.5: names may not hold whitespace, brackets, wildcards,
// specials or control characters (conformance invalid activity names).
func TestValidName(t *testing.T) {
	for _, name := range []string{"job-1", "OnPremJobs", "a.b_c", "émission"} {
		require.True(t, validName(name), name)
	}
	for _, name := range []string{"activity name", "activity/name", "activity*name", "activity>name", "activity\"name",
		"activity`name", "activity#name", "activity&name", "activity<name", "activity;name", "activity\\name",
		"activity|name", "activity]name", "activity[name", "activity~name", "activity:name", "activity\x1f",
		"activity\x7f", "\x00activity", "a\tb", "a?b", "a$b", "a,b", "a%b", "a^b", "a{b", "a}b"} {
		require.False(t, validName(name), "%q", name)
	}
}
