package sfnemu

import (
	"context"
	"fmt"
	"time"
)

// StartSyncExecution runs an Express execution to completion and answers
// with its result, 200 even when it failed. The SDKs and the CLI send it to
// the host "sync-<endpoint host>"; against a local endpoint the client must
// turn host prefixing off (README: aws-sdk-go-v2 middleware
// smithyhttp.DisableEndpointHostPrefix, CLI AWS_DISABLE_HOST_PREFIX_INJECTION).

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

// Express billing: 64 MB units, duration rounded up to 100 ms.
const (
	billedMemoryMB   = 64
	billingIncrement = 100 * time.Millisecond
)

// startSyncExecution is StartSyncExecution.
func (s *Service) startSyncExecution(ctx context.Context, r *startSyncExecutionInput) (startSyncExecutionOutput, error) {
	if err := requiredArn("stateMachineArn", r.StateMachineArn); err != nil {
		return startSyncExecutionOutput{}, err
	}
	var v violations
	if r.IncludedData != nil {
		v.enum("includedData", *r.IncludedData, "ALL_DATA", "METADATA_ONLY")
	}
	if err := v.err(); err != nil {
		return startSyncExecutionOutput{}, err
	}
	sm, in, err := s.checkStart(*r.StateMachineArn, r.Name, r.Input)
	if err != nil {
		return startSyncExecutionOutput{}, err
	}
	if sm.typ != typeExpress {
		return startSyncExecutionOutput{}, fail(ErrStateMachineTypeNotSupported,
			"This operation is not supported by this type of state machine")
	}
	started, err := s.launch(sm, in, nil)
	if err != nil {
		return startSyncExecutionOutput{}, err
	}
	s.execMu.RLock()
	e := s.execByArn[started.arn]
	s.execMu.RUnlock()
	select {
	case <-e.done:
	case <-ctx.Done():
		return startSyncExecutionOutput{}, fmt.Errorf("start sync execution %s: %w", e.arn, ctx.Err())
	case <-s.ctx.Done():
		return startSyncExecutionOutput{}, fmt.Errorf("start sync execution %s: %w", e.arn, errClosed)
	}
	info := e.info()
	out := startSyncExecutionOutput{ExecutionArn: info.arn, StateMachineArn: info.smArn, Name: info.name,
		StartDate: epoch(info.start), StopDate: epoch(info.stop), Status: info.status,
		Input: info.input, InputDetails: dataDetails{Included: true}, OutputDetails: dataDetails{Included: true},
		BillingDetails: billing(info.stop.Sub(info.start))}
	if info.status == statusSucceeded {
		o := string(info.output)
		out.Output = &o
	}
	if info.hasError {
		out.Error = &info.errStr
	}
	if info.hasCause {
		out.Cause = &info.cause
	}
	if r.IncludedData != nil && *r.IncludedData == "METADATA_ONLY" {
		out.Input, out.Output = "", nil
		out.InputDetails, out.OutputDetails = dataDetails{}, dataDetails{}
	}
	return out, nil
}

// billing is what AWS bills an Express execution of duration d.
func billing(d time.Duration) billingDetails {
	n := max(1, (d+billingIncrement-1)/billingIncrement)
	return billingDetails{BilledMemoryUsedInMB: billedMemoryMB, BilledDurationInMilliseconds: int64(n * billingIncrement / time.Millisecond)}
}
