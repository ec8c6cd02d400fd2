package asl

// ErrorName is the name of an error as Retry and Catch match it
// (ErrorEquals) and as history records it: one of the predefined States.*
// names below, or a custom name (a Fail state's Error, a Lambda's
// errorType, SendTaskFailure's error).
//
// The predefined names, when Step Functions raises each and whether
// States.ALL catches it, are listed in docs/step-functions.md §1.8
// (Predefined error names).
type ErrorName string

// The predefined error names (docs/step-functions.md §1.8).
const (
	// StatesALL is the wildcard: alone and last in ErrorEquals.
	StatesALL ErrorName = "States.ALL"
	// StatesTimeout is a task timeout, a missed heartbeat or the
	// execution's own timeout.
	StatesTimeout ErrorName = "States.Timeout"
	// StatesHeartbeatTimeout only matches: the error raised for a missed
	// heartbeat is StatesTimeout.
	StatesHeartbeatTimeout ErrorName = "States.HeartbeatTimeout"
	// StatesTaskFailed matches every error except StatesTimeout.
	StatesTaskFailed ErrorName = "States.TaskFailed"
	// StatesPermissions is never raised: stepwire does not model IAM.
	StatesPermissions ErrorName = "States.Permissions"
	// StatesResultPathMatchFailure is reserved; AWS reports StatesRuntime.
	StatesResultPathMatchFailure ErrorName = "States.ResultPathMatchFailure"
	// StatesParameterPathFailure is reserved; AWS reports StatesRuntime.
	StatesParameterPathFailure ErrorName = "States.ParameterPathFailure"
	// StatesBranchFailed is reserved; a branch's own error propagates.
	StatesBranchFailed ErrorName = "States.BranchFailed"
	// StatesNoChoiceMatched is reserved; AWS reports StatesRuntime.
	StatesNoChoiceMatched ErrorName = "States.NoChoiceMatched"
	// StatesIntrinsicFailure is reserved; AWS reports StatesRuntime.
	StatesIntrinsicFailure ErrorName = "States.IntrinsicFailure"
	// StatesDataLimitExceeded is a state result over 256 KiB.
	StatesDataLimitExceeded ErrorName = "States.DataLimitExceeded"
	// StatesRuntime fails the execution at once: no Retry or Catch.
	StatesRuntime ErrorName = "States.Runtime"
	// StatesQueryEvaluationError is a JSONata evaluation that failed.
	StatesQueryEvaluationError ErrorName = "States.QueryEvaluationError"
	// StatesExceedToleratedFailureThreshold, StatesItemReaderFailed and
	// StatesResultWriterFailed belong to Distributed Map; stepwire raises
	// only the first (it does not emulate the S3 reader and writer).
	StatesExceedToleratedFailureThreshold ErrorName = "States.ExceedToleratedFailureThreshold"
	StatesItemReaderFailed                ErrorName = "States.ItemReaderFailed"
	StatesResultWriterFailed              ErrorName = "States.ResultWriterFailed"
	// StatesHTTPSocket is an HTTP Task timeout; stepwire has no HTTP Task.
	StatesHTTPSocket ErrorName = "States.Http.Socket"
)
