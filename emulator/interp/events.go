package interp

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/stepwire/stepwire/emulator/asl"
)

// EventType is the type of a history event, as GetExecutionHistory lists
// it. The events of a state are named after its type (TaskStateEntered,
// MapStateExited, ...): see EventStateEntered, EventStateExited and
// EventStateAborted.
type EventType string

// The history event types stepwire records.
const (
	EventExecutionStarted   EventType = "ExecutionStarted"
	EventExecutionSucceeded EventType = "ExecutionSucceeded"
	EventExecutionFailed    EventType = "ExecutionFailed"
	EventExecutionAborted   EventType = "ExecutionAborted"
	EventExecutionTimedOut  EventType = "ExecutionTimedOut"

	EventTaskScheduled    EventType = "TaskScheduled"
	EventTaskStarted      EventType = "TaskStarted"
	EventTaskSubmitted    EventType = "TaskSubmitted"
	EventTaskSucceeded    EventType = "TaskSucceeded"
	EventTaskFailed       EventType = "TaskFailed"
	EventTaskTimedOut     EventType = "TaskTimedOut"
	EventTaskStateAborted EventType = "TaskStateAborted"

	EventLambdaFunctionScheduled EventType = "LambdaFunctionScheduled"
	EventLambdaFunctionStarted   EventType = "LambdaFunctionStarted"
	EventLambdaFunctionSucceeded EventType = "LambdaFunctionSucceeded"
	EventLambdaFunctionFailed    EventType = "LambdaFunctionFailed"
	EventLambdaFunctionTimedOut  EventType = "LambdaFunctionTimedOut"

	EventActivityScheduled EventType = "ActivityScheduled"
	EventActivityStarted   EventType = "ActivityStarted"
	EventActivitySucceeded EventType = "ActivitySucceeded"
	EventActivityFailed    EventType = "ActivityFailed"
	EventActivityTimedOut  EventType = "ActivityTimedOut"

	EventMapStateStarted        EventType = "MapStateStarted"
	EventMapStateSucceeded      EventType = "MapStateSucceeded"
	EventMapStateFailed         EventType = "MapStateFailed"
	EventParallelStateStarted   EventType = "ParallelStateStarted"
	EventParallelStateSucceeded EventType = "ParallelStateSucceeded"
	EventParallelStateFailed    EventType = "ParallelStateFailed"

	EventMapIterationStarted   EventType = "MapIterationStarted"
	EventMapIterationSucceeded EventType = "MapIterationSucceeded"
	EventMapIterationFailed    EventType = "MapIterationFailed"
	EventMapIterationAborted   EventType = "MapIterationAborted"

	// The Map Run of a Distributed Map, in the parent's history.
	EventMapRunStarted   EventType = "MapRunStarted"
	EventMapRunSucceeded EventType = "MapRunSucceeded"
	EventMapRunFailed    EventType = "MapRunFailed"
	EventMapRunAborted   EventType = "MapRunAborted"

	// EventEvaluationFailed is a JSONata evaluation that failed
	// (States.QueryEvaluationError).
	EventEvaluationFailed EventType = "EvaluationFailed"
)

// EventStateEntered is <stateType>StateEntered, e.g. TaskStateEntered.
func EventStateEntered(stateType string) EventType { return EventType(stateType + "StateEntered") }

// EventStateExited is <stateType>StateExited, e.g. PassStateExited.
func EventStateExited(stateType string) EventType { return EventType(stateType + "StateExited") }

// EventStateAborted is <stateType>StateAborted, e.g. WaitStateAborted.
func EventStateAborted(stateType string) EventType { return EventType(stateType + "StateAborted") }

// stateEntered and stateExited end the types whose details are shared by
// every state type: stateEnteredEventDetails and stateExitedEventDetails.
const (
	stateEntered = "StateEntered"
	stateExited  = "StateExited"
)

// DetailsKey is the field of the event that holds its details: the type
// with a lower-case first letter and "EventDetails" appended
// (taskScheduledEventDetails), except that every <Type>StateEntered and
// <Type>StateExited uses stateEnteredEventDetails or
// stateExitedEventDetails.
func (t EventType) DetailsKey() string { return string(t.appendDetailsKey(nil)) }

func (t EventType) appendDetailsKey(b []byte) []byte {
	s := string(t)
	switch {
	case s == "":
		return b
	case strings.HasSuffix(s, stateEntered):
		s = stateEntered
	case strings.HasSuffix(s, stateExited):
		s = stateExited
	}
	b = append(b, s[0]|0x20)
	b = append(b, s[1:]...)
	return append(b, "EventDetails"...)
}

// terminal reports whether the event ends the execution.
func (t EventType) terminal() bool {
	switch t {
	case EventExecutionSucceeded, EventExecutionFailed, EventExecutionAborted, EventExecutionTimedOut:
		return true
	}
	return false
}

// DataDetails is inputDetails/outputDetails.
type DataDetails struct {
	Truncated bool `json:"truncated"`
}

var notTruncated = &DataDetails{}

// ExecutionStartedDetails is executionStartedEventDetails.
type ExecutionStartedDetails struct {
	Input        *string      `json:"input,omitempty"`
	InputDetails *DataDetails `json:"inputDetails,omitempty"`
	RoleArn      string       `json:"roleArn,omitempty"`
}

// OutputDetails carries an output document: executionSucceeded,
// lambdaFunctionSucceeded.
type OutputDetails struct {
	Output        *string      `json:"output,omitempty"`
	OutputDetails *DataDetails `json:"outputDetails,omitempty"`
}

// ErrorDetails carries error and cause: executionFailed, executionAborted,
// executionTimedOut, lambdaFunctionFailed, lambdaFunctionTimedOut.
type ErrorDetails struct {
	Error *string `json:"error,omitempty"`
	Cause *string `json:"cause,omitempty"`
}

// StateEnteredDetails is stateEnteredEventDetails.
type StateEnteredDetails struct {
	Name         string       `json:"name"`
	Input        *string      `json:"input,omitempty"`
	InputDetails *DataDetails `json:"inputDetails,omitempty"`
}

// StateExitedDetails is stateExitedEventDetails.
type StateExitedDetails struct {
	Name          string       `json:"name"`
	Output        *string      `json:"output,omitempty"`
	OutputDetails *DataDetails `json:"outputDetails,omitempty"`
	// AssignedVariables maps each variable the state assigned to its value
	// as JSON text; absent when the state has no Assign.
	AssignedVariables        map[string]string `json:"assignedVariables,omitempty"`
	AssignedVariablesDetails *DataDetails      `json:"assignedVariablesDetails,omitempty"`
}

// EvaluationFailedDetails is evaluationFailedEventDetails: a JSONata
// expression failed (States.QueryEvaluationError).
type EvaluationFailedDetails struct {
	Error    string `json:"error"`
	Cause    string `json:"cause"`
	Location string `json:"location,omitempty"`
	State    string `json:"state"`
}

// TaskScheduledDetails is taskScheduledEventDetails.
type TaskScheduledDetails struct {
	ResourceType       string `json:"resourceType"`
	Resource           string `json:"resource"`
	Region             string `json:"region"`
	Parameters         string `json:"parameters"`
	TimeoutInSeconds   *int64 `json:"timeoutInSeconds,omitempty"`
	HeartbeatInSeconds *int64 `json:"heartbeatInSeconds,omitempty"`
}

// TaskStartedDetails is taskStartedEventDetails.
type TaskStartedDetails struct {
	ResourceType string `json:"resourceType"`
	Resource     string `json:"resource"`
}

// TaskOutputDetails is taskSubmittedEventDetails and
// taskSucceededEventDetails.
type TaskOutputDetails struct {
	ResourceType  string       `json:"resourceType"`
	Resource      string       `json:"resource"`
	Output        *string      `json:"output,omitempty"`
	OutputDetails *DataDetails `json:"outputDetails,omitempty"`
}

// TaskErrorDetails is taskFailedEventDetails and taskTimedOutEventDetails.
type TaskErrorDetails struct {
	ResourceType string  `json:"resourceType"`
	Resource     string  `json:"resource"`
	Error        *string `json:"error,omitempty"`
	Cause        *string `json:"cause,omitempty"`
}

// LambdaScheduledDetails is lambdaFunctionScheduledEventDetails.
type LambdaScheduledDetails struct {
	Resource         string       `json:"resource"`
	Input            *string      `json:"input,omitempty"`
	InputDetails     *DataDetails `json:"inputDetails,omitempty"`
	TimeoutInSeconds *int64       `json:"timeoutInSeconds,omitempty"`
}

// MapStateStartedDetails is mapStateStartedEventDetails.
type MapStateStartedDetails struct {
	Length int `json:"length"`
}

// MapIterationDetails is mapIteration{Started,Succeeded,Failed,Aborted}EventDetails.
type MapIterationDetails struct {
	Name  string `json:"name"`
	Index int    `json:"index"`
}

// MapRunStartedDetails is mapRunStartedEventDetails.
type MapRunStartedDetails struct {
	MapRunArn string `json:"mapRunArn"`
}

// MarshalJSON encodes the event in GetExecutionHistory's wire shape.
func (e HistoryEvent) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 256)
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, e.ID, 10)
	b = append(b, `,"previousEventId":`...)
	b = strconv.AppendInt(b, e.PreviousEventID, 10)
	b = append(b, `,"timestamp":`...)
	b = appendEpoch(b, e)
	b = append(b, `,"type":`...)
	b = strconv.AppendQuote(b, string(e.Type))
	if e.Details != nil {
		d, err := json.Marshal(e.Details)
		if err != nil {
			return nil, err
		}
		b = append(b, ',', '"')
		b = e.Type.appendDetailsKey(b)
		b = append(b, '"', ':')
		b = append(b, d...)
	}
	return append(b, '}'), nil
}

// appendEpoch appends the event time as epoch seconds with a millisecond
// fraction, e.g. 1712345678.123.
func appendEpoch(b []byte, e HistoryEvent) []byte {
	ms := e.Timestamp.UnixMilli()
	b = strconv.AppendInt(b, ms/1000, 10)
	frac := ms % 1000
	if frac < 0 {
		frac = -frac
	}
	b = append(b, '.', byte('0'+frac/100), byte('0'+frac/10%10), byte('0'+frac%10))
	return b
}

// WithoutData returns the event as GetExecutionHistory lists it with
// includeExecutionData=false. The API model defines execution data as "input
// or output of a history event" (aws-sdk-go-v2 service/sfn,
// GetExecutionHistoryInput.IncludeExecutionData), so the input and output
// documents go; inputDetails and outputDetails, which describe them
// (truncated, "always false for API calls"), stay, as do the other fields.
func (e HistoryEvent) WithoutData() HistoryEvent {
	switch d := e.Details.(type) {
	case *ExecutionStartedDetails:
		c := *d
		c.Input = nil
		e.Details = &c
	case *OutputDetails:
		c := *d
		c.Output = nil
		e.Details = &c
	case *StateEnteredDetails:
		c := *d
		c.Input = nil
		e.Details = &c
	case *StateExitedDetails:
		c := *d
		c.Output = nil
		e.Details = &c
	case *TaskOutputDetails:
		c := *d
		c.Output = nil
		e.Details = &c
	case *ActivityScheduledDetails:
		c := *d
		c.Input = nil
		e.Details = &c
	case *LambdaScheduledDetails:
		c := *d
		c.Input = nil
		e.Details = &c
	}
	return e
}

func strPtr(s string) *string { return &s }

// errorDetails are the error and cause details of a failure, each left
// out when absent.
func errorDetails(f asl.Failure) *ErrorDetails {
	return &ErrorDetails{Error: f.ErrorPtr(), Cause: f.CausePtr()}
}

func intPtr(i int64) *int64 { return &i }
