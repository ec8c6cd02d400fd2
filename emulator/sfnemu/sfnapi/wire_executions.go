package sfnapi

import (
	"time"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/interp"
)

// Request and response members exactly as the Step Functions service model
// names them. Optional members are pointers or omitempty so absent keys are
// omitted, never null.

// epoch is a timestamp on the wire: epoch seconds with a millisecond
// fraction, as every AWS JSON protocol writes it.
type epoch = awsapi.Epoch

// epochPtr is an optional timestamp: absent when zero.
func epochPtr(t time.Time) *epoch {
	if t.IsZero() {
		return nil
	}
	e := epoch(t)
	return &e
}

type startExecutionInput struct {
	StateMachineArn *string `json:"stateMachineArn"`
	Name            *string `json:"name"`
	Input           *string `json:"input"`
	TraceHeader     *string `json:"traceHeader"`
}

type startExecutionOutput struct {
	ExecutionArn string `json:"executionArn"`
	StartDate    epoch  `json:"startDate"`
}

type executionArnInput struct {
	ExecutionArn *string `json:"executionArn"`
}

type describeExecutionOutput struct {
	ExecutionArn           string       `json:"executionArn"`
	StateMachineArn        string       `json:"stateMachineArn"`
	StateMachineVersionArn string       `json:"stateMachineVersionArn,omitempty"`
	StateMachineAliasArn   string       `json:"stateMachineAliasArn,omitempty"`
	Name                   string       `json:"name"`
	Status                 string       `json:"status"`
	StartDate              epoch        `json:"startDate"`
	StopDate               *epoch       `json:"stopDate,omitempty"`
	Input                  string       `json:"input"`
	InputDetails           dataDetails  `json:"inputDetails"`
	Output                 *string      `json:"output,omitempty"`
	OutputDetails          *dataDetails `json:"outputDetails,omitempty"`
	Error                  *string      `json:"error,omitempty"`
	Cause                  *string      `json:"cause,omitempty"`
	RedriveCount           int          `json:"redriveCount"`
	RedriveDate            *epoch       `json:"redriveDate,omitempty"`
	RedriveStatus          string       `json:"redriveStatus"`
	RedriveStatusReason    string       `json:"redriveStatusReason,omitempty"`
	MapRunArn              string       `json:"mapRunArn,omitempty"`
}

type dataDetails struct {
	Included bool `json:"included"`
}

type getExecutionHistoryInput struct {
	ExecutionArn         *string `json:"executionArn"`
	MaxResults           int32   `json:"maxResults"`
	ReverseOrder         bool    `json:"reverseOrder"`
	NextToken            string  `json:"nextToken"`
	IncludeExecutionData *bool   `json:"includeExecutionData"`
}

type getExecutionHistoryOutput struct {
	Events    []interp.HistoryEvent `json:"events"`
	NextToken string                `json:"nextToken,omitempty"`
}

type listExecutionsInput struct {
	StateMachineArn *string `json:"stateMachineArn"`
	MapRunArn       *string `json:"mapRunArn"`
	StatusFilter    *string `json:"statusFilter"`
	RedriveFilter   *string `json:"redriveFilter"`
	MaxResults      int32   `json:"maxResults"`
	NextToken       string  `json:"nextToken"`
}

type listExecutionsOutput struct {
	Executions []executionListItem `json:"executions"`
	NextToken  string              `json:"nextToken,omitempty"`
}

type executionListItem struct {
	ExecutionArn           string `json:"executionArn"`
	StateMachineArn        string `json:"stateMachineArn"`
	StateMachineVersionArn string `json:"stateMachineVersionArn,omitempty"`
	StateMachineAliasArn   string `json:"stateMachineAliasArn,omitempty"`
	Name                   string `json:"name"`
	Status                 string `json:"status"`
	StartDate              epoch  `json:"startDate"`
	StopDate               *epoch `json:"stopDate,omitempty"`
	RedriveCount           int    `json:"redriveCount"`
	RedriveDate            *epoch `json:"redriveDate,omitempty"`
}

type stopExecutionInput struct {
	ExecutionArn *string `json:"executionArn"`
	Error        *string `json:"error"`
	Cause        *string `json:"cause"`
}

type stopExecutionOutput struct {
	StopDate epoch `json:"stopDate"`
}

type sendTaskInput struct {
	TaskToken *string `json:"taskToken"`
	Output    *string `json:"output"`
	Error     *string `json:"error"`
	Cause     *string `json:"cause"`
}

type startSyncExecutionInput struct {
	StateMachineArn *string `json:"stateMachineArn"`
	Name            *string `json:"name"`
	Input           *string `json:"input"`
	TraceHeader     *string `json:"traceHeader"`
	IncludedData    *string `json:"includedData"`
}

type startSyncExecutionOutput struct {
	ExecutionArn    string         `json:"executionArn"`
	StateMachineArn string         `json:"stateMachineArn"`
	Name            string         `json:"name"`
	StartDate       epoch          `json:"startDate"`
	StopDate        epoch          `json:"stopDate"`
	Status          string         `json:"status"`
	Error           *string        `json:"error,omitempty"`
	Cause           *string        `json:"cause,omitempty"`
	Input           string         `json:"input,omitempty"`
	InputDetails    dataDetails    `json:"inputDetails"`
	Output          *string        `json:"output,omitempty"`
	OutputDetails   dataDetails    `json:"outputDetails"`
	BillingDetails  billingDetails `json:"billingDetails"`
}

type billingDetails struct {
	BilledMemoryUsedInMB         int64 `json:"billedMemoryUsedInMB"`
	BilledDurationInMilliseconds int64 `json:"billedDurationInMilliseconds"`
}
