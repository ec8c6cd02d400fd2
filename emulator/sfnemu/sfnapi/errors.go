package sfnapi

import (
	"errors"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/sfnemu"
)

// namespace prefixes every Step Functions service error's __type.
const namespace = "com.amazonaws.swf.service.v2.model"

// awsCode describes how one sentinel goes on the wire: code, and the title
// AWS puts before the quoted detail ("Invalid Arn: '<detail>'"). An empty
// title sends the detail as the whole message.
type awsCode struct {
	code, title string
}

// errorTable is the one place service errors get their AWS codes.
var errorTable = map[error]awsCode{
	sfnemu.ErrInvalidArn:                   {"InvalidArn", "Invalid Arn"},
	sfnemu.ErrInvalidName:                  {"InvalidName", "Invalid Name"},
	sfnemu.ErrInvalidDefinition:            {"InvalidDefinition", ""},
	sfnemu.ErrStateMachineDoesNotExist:     {"StateMachineDoesNotExist", "State Machine Does Not Exist"},
	sfnemu.ErrStateMachineAlreadyExists:    {"StateMachineAlreadyExists", "State Machine Already Exists"},
	sfnemu.ErrStateMachineTypeNotSupported: {"StateMachineTypeNotSupported", ""},
	sfnemu.ErrExecutionDoesNotExist:        {"ExecutionDoesNotExist", "Execution Does Not Exist"},
	sfnemu.ErrExecutionAlreadyExists:       {"ExecutionAlreadyExists", "Execution Already Exists"},
	sfnemu.ErrExecutionNotRedrivable:       {"ExecutionNotRedrivable", ""},
	sfnemu.ErrInvalidExecutionInput:        {"InvalidExecutionInput", "Invalid State Machine Execution Input"},
	sfnemu.ErrInvalidToken:                 {"InvalidToken", "Invalid Token"},
	sfnemu.ErrTaskTimedOut:                 {"TaskTimedOut", "Task Timed Out"},
	sfnemu.ErrTaskDoesNotExist:             {"TaskDoesNotExist", "Task Does Not Exist"},
	sfnemu.ErrInvalidOutput:                {"InvalidOutput", "Invalid Output"},
	sfnemu.ErrMissingRequiredParameter:     {"MissingRequiredParameter", ""},
	// AWS's text for the next three is not recorded; they follow the
	// "<Title>: '<detail>'" pattern of the others.
	sfnemu.ErrStateMachineDeleting:        {"StateMachineDeleting", "State Machine Is Being Deleted"},
	sfnemu.ErrActivityWorkerLimitExceeded: {"ActivityWorkerLimitExceeded", "Activity Worker Limit Exceeded"},
	sfnemu.ErrResourceNotFound:            {"ResourceNotFound", "Resource not found"},
	sfnemu.ErrActivityDoesNotExist:        {"ActivityDoesNotExist", "Activity Does Not Exist"},
	sfnemu.ErrTooManyTags:                 {"TooManyTags", ""},
	sfnemu.ErrConflict:                    {"ConflictException", ""},
	sfnemu.ErrServiceQuotaExceeded:        {"ServiceQuotaExceededException", ""},
	sfnemu.ErrNoSuchResource:              {"ResourceNotFound", ""},
}

// toAWS maps a service error to its wire form. Unknown errors become
// InternalFailure.
func toAWS(err error) *awsapi.Error {
	var d *sfnemu.Error
	if !errors.As(err, &d) {
		return awsapi.Internal(err)
	}
	if d.Kind == sfnemu.ErrValidation {
		return awsapi.Validation(d.Detail)
	}
	c, ok := errorTable[d.Kind]
	if !ok {
		return awsapi.Internal(err)
	}
	msg := d.Detail
	if c.title != "" {
		msg = c.title + ": '" + d.Detail + "'"
	}
	return awsapi.Errorf(namespace, c.code, "%s", msg)
}
