package interp

import (
	"encoding/json"

	"github.com/stepwire/stepwire/emulator/asl"
)

// The Distributed Map part of the contract with the driver: a Step
// reports the Map Runs and child executions it changed, and UpdateMapRun
// changes a running Map Run.

// MapRunStatus is the status of a Map Run.
type MapRunStatus string

// The Map Run statuses.
const (
	MapRunRunning   MapRunStatus = "RUNNING"
	MapRunSucceeded MapRunStatus = "SUCCEEDED"
	MapRunFailed    MapRunStatus = "FAILED"
	MapRunAborted   MapRunStatus = "ABORTED"
)

// MapRun is a Distributed Map's run as it stands after a step.
type MapRun struct {
	MapRunArn string
	// ExecutionArn is the execution whose Map state started the run (a
	// child execution for a nested Distributed Map).
	ExecutionArn string
	// StateMachineArn is the qualified ARN of the children:
	// <state machine ARN>/<label>.
	StateMachineArn string
	Status          MapRunStatus
	// MaxConcurrency is 0 for unlimited.
	MaxConcurrency             int64
	ToleratedFailurePercentage float64
	ToleratedFailureCount      int64
	// Items counts items, Executions child executions (they differ when
	// an ItemBatcher groups items).
	Items, Executions MapRunCounts
}

// MapRunCounts are the item or execution counts of a Map Run.
type MapRunCounts struct {
	Pending, Running, Succeeded, Failed, TimedOut, Aborted, Total int64
}

// ChildExecution is a child execution of a Map Run as it stands after a
// step, with the history events it logged during the step.
type ChildExecution struct {
	ExecutionArn, Name, MapRunArn string
	// StateMachineArn is the qualified ARN of the Map Run.
	StateMachineArn string
	Input           string
	Events          []HistoryEvent
	Status          Status
	// Output is set once it SUCCEEDED.
	Output json.RawMessage
	asl.Failure
}

// UpdateMapRun is UpdateMapRun: it changes the concurrency limit or the
// tolerated failures of a running Map Run; nil fields stay as they are.
// Lowering the tolerated failures below the failures so far fails the run.
type UpdateMapRun struct {
	MapRunArn                  string
	MaxConcurrency             *int64
	ToleratedFailurePercentage *float64
	ToleratedFailureCount      *int64
}

func (UpdateMapRun) event() {}
