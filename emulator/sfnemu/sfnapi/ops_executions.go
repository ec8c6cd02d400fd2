package sfnapi

import (
	"context"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/interp"
	"github.com/stepwire/stepwire/emulator/sfnemu"
)

// Operations on executions.

func startExecution(s *sfnemu.Service, ctx context.Context, r *startExecutionInput) (any, error) {
	if err := checkStart(r.StateMachineArn, r.Name, r.Input, nil); err != nil {
		return nil, err
	}
	out, err := s.StartExecution(ctx, sfnemu.StartExecutionInput{StateMachineArn: *r.StateMachineArn, Name: r.Name, Input: r.Input})
	if err != nil {
		return nil, err
	}
	return startExecutionOutput{ExecutionArn: out.ExecutionArn, StartDate: epoch(out.StartDate)}, nil
}

// checkStart validates a start request in AWS's order: the ARN's presence,
// includedData (StartSyncExecution), the ARN's shape, then name and input.
func checkStart(arn, name, input, includedData *string) error {
	if err := requiredArn("stateMachineArn", arn); err != nil {
		return err
	}
	var v violations
	if includedData != nil {
		v.enum("includedData", *includedData, "ALL_DATA", "METADATA_ONLY")
	}
	if err := v.err(); err != nil {
		return err
	}
	if err := sfnemu.CheckStartArn(*arn); err != nil {
		return err
	}
	if name != nil {
		v.length("name", *name, 1, maxNameLen, false)
	}
	if input != nil {
		v.length("input", *input, 0, maxPayload, true)
	}
	return v.err()
}

func startSyncExecution(s *sfnemu.Service, ctx context.Context, r *startSyncExecutionInput) (any, error) {
	if err := checkStart(r.StateMachineArn, r.Name, r.Input, r.IncludedData); err != nil {
		return nil, err
	}
	x, err := s.StartSyncExecution(ctx, sfnemu.StartSyncExecutionInput{StateMachineArn: *r.StateMachineArn,
		Name: r.Name, Input: r.Input, MetadataOnly: derefOr(r.IncludedData) == "METADATA_ONLY"})
	if err != nil {
		return nil, err
	}
	details := dataDetails{Included: x.DataIncluded}
	return startSyncExecutionOutput{ExecutionArn: x.ExecutionArn, StateMachineArn: x.StateMachineArn, Name: x.Name,
		StartDate: epoch(x.StartDate), StopDate: epoch(x.StopDate), Status: string(x.Status), Error: x.Error, Cause: x.Cause,
		Input: x.Input, InputDetails: details, Output: x.Output, OutputDetails: details,
		BillingDetails: billingDetails{BilledMemoryUsedInMB: x.Billing.MemoryMB,
			BilledDurationInMilliseconds: x.Billing.DurationMillis}}, nil
}

func describeExecution(s *sfnemu.Service, ctx context.Context, r *executionArnInput) (any, error) {
	if err := requiredArn("executionArn", r.ExecutionArn); err != nil {
		return nil, err
	}
	d, err := s.DescribeExecution(ctx, *r.ExecutionArn)
	if err != nil {
		return nil, err
	}
	out := describeExecutionOutput{ExecutionArn: d.ExecutionArn, StateMachineArn: d.StateMachineArn, Name: d.Name,
		StateMachineVersionArn: d.StateMachineVersionArn, StateMachineAliasArn: d.StateMachineAliasArn,
		Status: string(d.Status), StartDate: epoch(d.StartDate), StopDate: epochPtr(d.StopDate),
		Input: d.Input, InputDetails: dataDetails{Included: true}, Output: d.Output,
		Error: d.Error, Cause: d.Cause, RedriveStatus: d.RedriveStatus, RedriveStatusReason: d.RedriveStatusReason,
		RedriveCount: d.RedriveCount, RedriveDate: epochPtr(d.RedriveDate), MapRunArn: d.MapRunArn}
	if d.Output != nil {
		out.OutputDetails = &dataDetails{Included: true}
	}
	return out, nil
}

func getExecutionHistory(s *sfnemu.Service, ctx context.Context, r *getExecutionHistoryInput) (any, error) {
	if err := requiredArn("executionArn", r.ExecutionArn); err != nil {
		return nil, err
	}
	var v violations
	checkList(&v, r.MaxResults, r.NextToken, maxPageToken)
	if err := v.err(); err != nil {
		return nil, err
	}
	kind := "h"
	if r.ReverseOrder {
		kind = "hr"
	}
	h, err := s.GetExecutionHistory(ctx, sfnemu.GetExecutionHistoryInput{ExecutionArn: *r.ExecutionArn,
		Reverse: r.ReverseOrder, WithoutData: r.IncludeExecutionData != nil && !*r.IncludeExecutionData,
		Page: page(kind, r.MaxResults, r.NextToken)})
	if err != nil {
		return nil, err
	}
	return getExecutionHistoryOutput{Events: h.Events, NextToken: nextToken(kind, h.Next)}, nil
}

// Execution statuses ListExecutions filters on, in AWS's enum order.
var statusEnum = []string{"SUCCEEDED", "TIMED_OUT", "PENDING_REDRIVE", "ABORTED", "FAILED", "RUNNING"}

func listExecutions(s *sfnemu.Service, ctx context.Context, r *listExecutionsInput) (any, error) {
	var v violations
	if r.StatusFilter != nil {
		v.enum("statusFilter", *r.StatusFilter, statusEnum...)
	}
	if r.RedriveFilter != nil {
		v.enum("redriveFilter", *r.RedriveFilter, "REDRIVEN", "NOT_REDRIVEN")
	}
	checkList(&v, r.MaxResults, r.NextToken, 3096)
	if err := v.err(); err != nil {
		return nil, err
	}
	if (r.StateMachineArn == nil) == (r.MapRunArn == nil) {
		return nil, awsapi.Validation("Must provide a StateMachine ARN or MapRun ARN")
	}
	list, err := s.ListExecutions(ctx, sfnemu.ListExecutionsInput{StateMachineArn: derefOr(r.StateMachineArn), MapRunArn: derefOr(r.MapRunArn),
		StatusFilter:  interp.Status(derefOr(r.StatusFilter)),
		RedriveFilter: sfnemu.RedriveFilter(derefOr(r.RedriveFilter)), Page: page("ex", r.MaxResults, r.NextToken)})
	if err != nil {
		return nil, err
	}
	out := listExecutionsOutput{Executions: make([]executionListItem, len(list.Executions)), NextToken: nextToken("ex", list.Next)}
	for i, e := range list.Executions {
		out.Executions[i] = executionListItem{ExecutionArn: e.ExecutionArn, StateMachineArn: e.StateMachineArn,
			Name: e.Name, StateMachineVersionArn: e.StateMachineVersionArn, StateMachineAliasArn: e.StateMachineAliasArn,
			Status: string(e.Status), StartDate: epoch(e.StartDate), StopDate: epochPtr(e.StopDate),
			RedriveCount: e.RedriveCount, RedriveDate: epochPtr(e.RedriveDate)}
	}
	return out, nil
}

func stopExecution(s *sfnemu.Service, ctx context.Context, r *stopExecutionInput) (any, error) {
	if err := requiredArn("executionArn", r.ExecutionArn); err != nil {
		return nil, err
	}
	var v violations
	if r.Error != nil {
		v.length("error", *r.Error, 0, maxErrorLen, true)
	}
	if r.Cause != nil {
		v.length("cause", *r.Cause, 0, maxCauseLen, true)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	out, err := s.StopExecution(ctx, sfnemu.StopExecutionInput{ExecutionArn: *r.ExecutionArn, Error: r.Error, Cause: r.Cause})
	if err != nil {
		return nil, err
	}
	return stopExecutionOutput{StopDate: epoch(out.StopDate)}, nil
}
