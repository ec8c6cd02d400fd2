package sfnemu

import (
	"time"

	"github.com/stepwire/stepwire/emulator/interp"
)

// The typed execution API: starting, describing, listing and stopping
// executions, their history, and the task-token callbacks.

// StartExecutionInput starts an execution of a state machine, version or
// alias ARN, optionally followed by "#<TestCase>" (mock config). Name is a
// UUID and Input "{}" when nil.
type StartExecutionInput struct {
	StateMachineArn string
	Name, Input     *string
}

// StartExecutionOutput names the started execution.
type StartExecutionOutput struct {
	ExecutionArn string
	StartDate    time.Time
}

// ExecutionDescription describes an execution. StopDate is zero while it
// runs; Output is set only once it SUCCEEDED, Error and Cause only when
// it has them.
type ExecutionDescription struct {
	ExecutionArn, StateMachineArn, Name string
	Status                              interp.Status
	// StateMachineVersionArn and StateMachineAliasArn name the version
	// and alias it was started through.
	StateMachineVersionArn, StateMachineAliasArn string
	StartDate, StopDate                          time.Time
	Input                                        string
	Output, Error, Cause                         *string
	RedriveStatus, RedriveStatusReason           string
	// MapRunArn is the Map Run of a Distributed Map child execution.
	MapRunArn string
	// RedriveCount and RedriveDate count and date its redrives
	// (RedriveDate is zero before the first).
	RedriveCount int
	RedriveDate  time.Time
}

// ListExecutionsInput lists a machine's executions, newest first, or
// those started through a version or alias ARN. StatusFilter is empty for
// all.
type ListExecutionsInput struct {
	StateMachineArn string
	// MapRunArn, instead of StateMachineArn, lists a Map Run's child
	// executions.
	MapRunArn     string
	StatusFilter  interp.Status
	RedriveFilter RedriveFilter // empty for all
	Page          Page
}

// ExecutionList is one page of executions (their Input, Output, Error,
// Cause and redrive members are not set). Next counts the executions
// looked at, listed or filtered out.
type ExecutionList struct {
	Executions []ExecutionDescription
	Next       int
}

// GetExecutionHistoryInput asks for a page of an execution's events,
// oldest first unless Reverse; WithoutData drops inputs and outputs.
type GetExecutionHistoryInput struct {
	ExecutionArn         string
	Reverse, WithoutData bool
	Page                 Page
}

// ExecutionHistory is one page of events.
type ExecutionHistory struct {
	Events []interp.HistoryEvent
	Next   int
}

// StopExecutionInput aborts a running execution.
type StopExecutionInput struct {
	ExecutionArn string
	Error, Cause *string
}

// StopExecutionOutput is when the execution stopped (or had closed).
type StopExecutionOutput struct {
	StopDate time.Time
}

// SendTaskSuccessInput completes a task with Output (JSON).
type SendTaskSuccessInput struct {
	TaskToken, Output string
}

// SendTaskFailureInput fails a task.
type SendTaskFailureInput struct {
	TaskToken    string
	Error, Cause *string
}

// SendTaskHeartbeatInput reports a task alive.
type SendTaskHeartbeatInput struct {
	TaskToken string
}

// StartSyncExecutionInput runs an Express execution to its end.
// MetadataOnly leaves the input and output out of the answer.
type StartSyncExecutionInput struct {
	StateMachineArn string
	Name, Input     *string
	MetadataOnly    bool
}

// SyncExecution is a StartSyncExecution's answer. Input is empty and
// Output nil when DataIncluded is false.
type SyncExecution struct {
	ExecutionArn, StateMachineArn, Name string
	Status                              interp.Status
	StartDate, StopDate                 time.Time
	Error, Cause                        *string
	Input                               string
	Output                              *string
	DataIncluded                        bool
	Billing                             Billing
}

// Billing is what AWS bills an Express execution.
type Billing struct {
	MemoryMB, DurationMillis int64
}
