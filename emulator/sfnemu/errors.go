package sfnemu

import (
	"errors"
	"fmt"

	"github.com/stepwire/stepwire/emulator/awsapi"
)

// Sentinel errors returned by the Service. Each wraps a detail (usually an
// ARN, a name or a parser message); errorTable maps them to AWS codes.
var (
	ErrInvalidArn                   = errors.New("invalid arn")
	ErrInvalidName                  = errors.New("invalid name")
	ErrInvalidDefinition            = errors.New("invalid definition")
	ErrStateMachineDoesNotExist     = errors.New("state machine does not exist")
	ErrStateMachineAlreadyExists    = errors.New("state machine already exists")
	ErrStateMachineTypeNotSupported = errors.New("state machine type not supported")
	ErrExecutionDoesNotExist        = errors.New("execution does not exist")
	ErrExecutionAlreadyExists       = errors.New("execution already exists")
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

// detailError is a sentinel plus the text AWS quotes in its message.
type detailError struct {
	kind   error
	detail string
}

func (e *detailError) Error() string { return e.kind.Error() + ": " + e.detail }
func (e *detailError) Unwrap() error { return e.kind }

func fail(kind error, detail string) error { return &detailError{kind: kind, detail: detail} }

func failf(kind error, format string, args ...any) error {
	return fail(kind, fmt.Sprintf(format, args...))
}

// namespace prefixes every Step Functions service error's __type.
const namespace = "com.amazonaws.swf.service.v2.model"

// awsCode describes how one sentinel goes on the wire: code, and the title
// AWS puts before the quoted detail ("Invalid Arn: '<detail>'"). An empty
// title sends the detail as the whole message.
type awsCode struct {
	code, title string
}

var errorTable = map[error]awsCode{
	ErrInvalidArn:                   {"InvalidArn", "Invalid Arn"},
	ErrInvalidName:                  {"InvalidName", "Invalid Name"},
	ErrInvalidDefinition:            {"InvalidDefinition", ""},
	ErrStateMachineDoesNotExist:     {"StateMachineDoesNotExist", "State Machine Does Not Exist"},
	ErrStateMachineAlreadyExists:    {"StateMachineAlreadyExists", "State Machine Already Exists"},
	ErrStateMachineTypeNotSupported: {"StateMachineTypeNotSupported", ""},
	ErrExecutionDoesNotExist:        {"ExecutionDoesNotExist", "Execution Does Not Exist"},
	ErrExecutionAlreadyExists:       {"ExecutionAlreadyExists", "Execution Already Exists"},
	ErrInvalidExecutionInput:        {"InvalidExecutionInput", "Invalid State Machine Execution Input"},
	ErrInvalidToken:                 {"InvalidToken", "Invalid Token"},
	ErrTaskTimedOut:                 {"TaskTimedOut", "Task Timed Out"},
	ErrTaskDoesNotExist:             {"TaskDoesNotExist", "Task Does Not Exist"},
	ErrInvalidOutput:                {"InvalidOutput", "Invalid Output"},
	ErrMissingRequiredParameter:     {"MissingRequiredParameter", ""},
	// AWS's text for the next three is not recorded; they follow the
	// "<Title>: '<detail>'" pattern of the others.
	ErrStateMachineDeleting:        {"StateMachineDeleting", "State Machine Is Being Deleted"},
	ErrActivityWorkerLimitExceeded: {"ActivityWorkerLimitExceeded", "Activity Worker Limit Exceeded"},
	ErrResourceNotFound:            {"ResourceNotFound", "Resource not found"},
	ErrActivityDoesNotExist:        {"ActivityDoesNotExist", "Activity Does Not Exist"},
	ErrTooManyTags:                 {"TooManyTags", ""},
	ErrConflict:                    {"ConflictException", ""},
	ErrServiceQuotaExceeded:        {"ServiceQuotaExceededException", ""},
	ErrNoSuchResource:              {"ResourceNotFound", ""},
}

// toAWS maps a service error to its wire form. Unknown errors become
// InternalFailure.
func toAWS(err error) *awsapi.Error {
	var d *detailError
	if !errors.As(err, &d) {
		return awsapi.Internal(err)
	}
	if d.kind == ErrValidation {
		return awsapi.Validation(d.detail)
	}
	c, ok := errorTable[d.kind]
	if !ok {
		return awsapi.Internal(err)
	}
	msg := d.detail
	if c.title != "" {
		msg = c.title + ": '" + d.detail + "'"
	}
	return awsapi.Errorf(namespace, c.code, "%s", msg)
}
