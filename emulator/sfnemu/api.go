package sfnemu

import (
	"context"
	"errors"

	"github.com/stepwire/stepwire/emulator/awsapi"
)

// opFunc serves one operation from its raw request body.
type opFunc func(s *Service, body []byte) (any, error)

// operations are the served X-Amz-Target operations.
var operations = map[string]opFunc{
	"CreateStateMachine":   op(createStateMachineOp),
	"DescribeStateMachine": op(describeStateMachineOp),
	"ListStateMachines":    op(listStateMachinesOp),
	"StartExecution":       op(startExecutionOp),
	"DescribeExecution":    op(describeExecutionOp),
	"GetExecutionHistory":  op(getExecutionHistoryOp),
	"ListExecutions":       op(listExecutionsOp),
	"StopExecution":        op(stopExecutionOp),
	"SendTaskSuccess":      op(sendTaskSuccessOp),
	"SendTaskFailure":      op(sendTaskFailureOp),
	"SendTaskHeartbeat":    op(sendTaskHeartbeatOp),
}

// Handler serves the Step Functions API; route it with
// Router.HandleTarget("AWSStepFunctions", svc.Handler()).
func (s *Service) Handler() awsapi.JSONHandler {
	return func(ctx context.Context, name string, body []byte) (any, *awsapi.Error) {
		f := operations[name]
		if f == nil {
			return nil, &awsapi.Error{Code: "UnknownOperationException", Message: "Unknown operation AWSStepFunctions." + name}
		}
		out, err := f(s, body)
		if err != nil {
			var ae *awsapi.Error
			if errors.As(err, &ae) {
				return nil, ae
			}
			return nil, toAWS(err)
		}
		return out, nil
	}
}

// op decodes the request into Req and calls f.
func op[Req any](f func(s *Service, r *Req) (any, error)) opFunc {
	return func(s *Service, body []byte) (any, error) {
		var r Req
		if err := awsapi.Decode(body, &r); err != nil {
			return nil, err
		}
		return f(s, &r)
	}
}

// requiredArn checks a required ARN member.
func requiredArn(member string, v *string) error {
	var vs violations
	vs.required(member, v != nil)
	if v != nil {
		vs.length(member, *v, 1, 256, false)
	}
	return vs.err()
}

func createStateMachineOp(s *Service, r *createStateMachineInput) (any, error) {
	var v violations
	v.required("name", r.Name != nil)
	v.required("definition", r.Definition != nil)
	v.required("roleArn", r.RoleArn != nil)
	if err := v.err(); err != nil {
		return nil, err
	}
	if r.VersionDescription != nil && !r.Publish {
		return nil, fail(ErrValidation, "Version description can only be set when publish is true")
	}
	sm, err := s.createStateMachine(*r.Name, *r.Definition, *r.RoleArn, r.Type)
	if err != nil {
		return nil, err
	}
	return createStateMachineOutput{StateMachineArn: sm.arn, CreationDate: epoch(sm.created)}, nil
}

func describeStateMachineOp(s *Service, r *stateMachineArnInput) (any, error) {
	if err := requiredArn("stateMachineArn", r.StateMachineArn); err != nil {
		return nil, err
	}
	sm, err := s.stateMachine(*r.StateMachineArn)
	if err != nil {
		return nil, err
	}
	return describeStateMachineOutput{StateMachineArn: sm.arn, Name: sm.name, Status: "ACTIVE",
		Definition: sm.definition, RoleArn: sm.roleArn, Type: sm.typ, CreationDate: epoch(sm.created),
		LoggingConfiguration: loggingConfiguration{Level: "OFF"}}, nil
}

func listStateMachinesOp(s *Service, r *listInput) (any, error) {
	return s.listStateMachines(r.MaxResults, r.NextToken)
}

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
