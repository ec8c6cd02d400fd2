package sfnemu

import "context"

// Operations on executions and task tokens.

func startExecutionOp(s *Service, r *startExecutionInput) (any, error) {
	if err := requiredArn("stateMachineArn", r.StateMachineArn); err != nil {
		return nil, err
	}
	info, err := s.startExecution(*r.StateMachineArn, r.Name, r.Input)
	if err != nil {
		return nil, err
	}
	return startExecutionOutput{ExecutionArn: info.arn, StartDate: epoch(info.start)}, nil
}

func describeExecutionOp(s *Service, r *executionArnInput) (any, error) {
	if err := requiredArn("executionArn", r.ExecutionArn); err != nil {
		return nil, err
	}
	e, err := s.execution(*r.ExecutionArn)
	if err != nil {
		return nil, err
	}
	return describeExecution(e.info()), nil
}

// describeExecution applies AWS's key presence rules: stopDate once
// closed, output only when SUCCEEDED, error and cause only when present.
func describeExecution(info execInfo) describeExecutionOutput {
	out := describeExecutionOutput{ExecutionArn: info.arn, StateMachineArn: info.smArn, Name: info.name,
		StateMachineVersionArn: info.versionArn, StateMachineAliasArn: info.aliasArn,
		Status: info.status, StartDate: epoch(info.start), StopDate: epochPtr(info.stop),
		Input: info.input, InputDetails: dataDetails{Included: true}, RedriveStatus: "REDRIVABLE"}
	switch info.status {
	case statusRunning, statusSucceeded:
		out.RedriveStatus = "NOT_REDRIVABLE"
		out.RedriveStatusReason = "Execution is " + info.status + " and cannot be redriven"
	}
	if info.status == statusSucceeded {
		o := string(info.output)
		out.Output, out.OutputDetails = &o, &dataDetails{Included: true}
	}
	if info.hasError {
		out.Error = &info.errStr
	}
	if info.hasCause {
		out.Cause = &info.cause
	}
	return out
}

func getExecutionHistoryOp(s *Service, r *getExecutionHistoryInput) (any, error) {
	if err := requiredArn("executionArn", r.ExecutionArn); err != nil {
		return nil, err
	}
	withData := r.IncludeExecutionData == nil || *r.IncludeExecutionData
	page, err := s.executionHistory(*r.ExecutionArn, r.MaxResults, r.ReverseOrder, r.NextToken, withData)
	if err != nil {
		return nil, err
	}
	return getExecutionHistoryOutput{Events: page.wire(), NextToken: page.next}, nil
}

func listExecutionsOp(s *Service, r *listExecutionsInput) (any, error) {
	return s.listExecutions(r)
}

func stopExecutionOp(s *Service, r *stopExecutionInput) (any, error) {
	if err := requiredArn("executionArn", r.ExecutionArn); err != nil {
		return nil, err
	}
	stop, err := s.stopExecution(*r.ExecutionArn, r.Error, r.Cause)
	if err != nil {
		return nil, err
	}
	return stopExecutionOutput{StopDate: epoch(stop)}, nil
}

func sendTaskSuccessOp(s *Service, r *sendTaskInput) (any, error) {
	return struct{}{}, s.sendTaskSuccess(r.TaskToken, r.Output)
}

func sendTaskFailureOp(s *Service, r *sendTaskInput) (any, error) {
	return struct{}{}, s.sendTaskFailure(r.TaskToken, r.Error, r.Cause)
}

func sendTaskHeartbeatOp(s *Service, r *sendTaskInput) (any, error) {
	return struct{}{}, s.sendTaskHeartbeat(r.TaskToken)
}

func startSyncExecutionOp(s *Service, ctx context.Context, r *startSyncExecutionInput) (any, error) {
	return s.startSyncExecution(ctx, r)
}
