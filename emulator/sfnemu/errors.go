package sfnemu

import (
	"errors"

	"github.com/stepwire/stepwire/internal/svcerr"
)

// Sentinel errors returned by the Service, each inside an *Error with its
// detail. Only the wire layer (sfnapi) knows their AWS codes.
var (
	ErrInvalidArn                   = errors.New("invalid arn")
	ErrInvalidName                  = errors.New("invalid name")
	ErrInvalidDefinition            = errors.New("invalid definition")
	ErrStateMachineDoesNotExist     = errors.New("state machine does not exist")
	ErrStateMachineAlreadyExists    = errors.New("state machine already exists")
	ErrStateMachineTypeNotSupported = errors.New("state machine type not supported")
	ErrExecutionDoesNotExist        = errors.New("execution does not exist")
	ErrExecutionAlreadyExists       = errors.New("execution already exists")
	ErrExecutionNotRedrivable       = errors.New("execution not redrivable")
	ErrInvalidExecutionInput        = errors.New("invalid execution input")
	ErrInvalidToken                 = errors.New("invalid token")
	ErrTaskTimedOut                 = errors.New("task timed out")
	ErrTaskDoesNotExist             = errors.New("task does not exist")
	ErrInvalidOutput                = errors.New("invalid output")
	ErrValidation                   = errors.New("validation failed")
	ErrMissingRequiredParameter     = errors.New("missing required parameter")
	ErrStateMachineDeleting         = errors.New("state machine deleting")
	ErrActivityDoesNotExist         = errors.New("activity does not exist")
	ErrActivityWorkerLimitExceeded  = errors.New("activity worker limit exceeded")
	ErrResourceNotFound             = errors.New("resource not found")
	ErrTooManyTags                  = errors.New("too many tags")
	ErrConflict                     = errors.New("conflict")
	ErrServiceQuotaExceeded         = errors.New("service quota exceeded")
	// ErrNoSuchResource is a missing version or alias; its detail is the
	// whole message.
	ErrNoSuchResource = errors.New("referenced resource does not exist")
)

// Error is a service error: one of the sentinels above, and the detail
// AWS quotes in its message (an ARN, a name, a parser message; for
// ErrValidation, ErrNoSuchResource and a few others the whole message).
// errors.Is matches it against its sentinel.
type Error = svcerr.Error

var (
	fail  = svcerr.New
	failf = svcerr.Newf
)
