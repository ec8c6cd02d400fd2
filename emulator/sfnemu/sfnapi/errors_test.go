package sfnapi

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/emulator/sfnemu"
)

// Service errors go on the wire with their AWS code and, for most, the
// title AWS puts before the quoted detail.
func TestToAWS(t *testing.T) {
	tests := []struct {
		name          string
		err           error
		code, message string
	}{
		{"titled", &sfnemu.Error{Kind: sfnemu.ErrInvalidExecutionInput, Detail: "Invalid execution input."},
			"InvalidExecutionInput", "Invalid State Machine Execution Input: 'Invalid execution input.'"},
		{"untitled", &sfnemu.Error{Kind: sfnemu.ErrConflict, Detail: "in use"}, "ConflictException", "in use"},
		{"validation", &sfnemu.Error{Kind: sfnemu.ErrValidation, Detail: "bad"}, "ValidationException", "bad"},
		{"shared code", &sfnemu.Error{Kind: sfnemu.ErrNoSuchResource, Detail: "gone"}, "ResourceNotFound", "gone"},
		{"unknown", errors.New("boom"), "InternalFailure", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ae := toAWS(tt.err)
			require.Equal(t, tt.code, ae.Code)
			if tt.message != "" {
				require.Equal(t, tt.message, ae.Message)
			}
		})
	}
}

// Every sentinel the service declares has a wire form.
func TestErrorTableCoversSentinels(t *testing.T) {
	for _, kind := range []error{sfnemu.ErrInvalidArn, sfnemu.ErrInvalidName, sfnemu.ErrInvalidDefinition,
		sfnemu.ErrStateMachineDoesNotExist, sfnemu.ErrStateMachineAlreadyExists, sfnemu.ErrStateMachineTypeNotSupported,
		sfnemu.ErrExecutionDoesNotExist, sfnemu.ErrExecutionAlreadyExists, sfnemu.ErrInvalidExecutionInput,
		sfnemu.ErrInvalidToken, sfnemu.ErrTaskTimedOut, sfnemu.ErrTaskDoesNotExist, sfnemu.ErrInvalidOutput,
		sfnemu.ErrMissingRequiredParameter, sfnemu.ErrStateMachineDeleting, sfnemu.ErrActivityDoesNotExist,
		sfnemu.ErrActivityWorkerLimitExceeded, sfnemu.ErrResourceNotFound, sfnemu.ErrTooManyTags,
		sfnemu.ErrConflict, sfnemu.ErrServiceQuotaExceeded, sfnemu.ErrNoSuchResource} {
		_, ok := errorTable[kind]
		require.True(t, ok, "%v has no AWS code", kind)
	}
}
