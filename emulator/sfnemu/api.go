package sfnemu

import (
	"context"
	"errors"

	"github.com/stepwire/stepwire/emulator/awsapi"
)

// opFunc serves one operation from its raw request body. ctx ends with the
// HTTP request.
type opFunc func(s *Service, ctx context.Context, body []byte) (any, error)

// operations are the served X-Amz-Target operations; any other is
// UnknownOperationException.
var operations = map[string]opFunc{
	"CreateStateMachine":               op(createStateMachineOp),
	"DescribeStateMachine":             op(describeStateMachineOp),
	"UpdateStateMachine":               op(updateStateMachineOp),
	"DeleteStateMachine":               op(deleteStateMachineOp),
	"ListStateMachines":                op(listStateMachinesOp),
	"ValidateStateMachineDefinition":   op(validateStateMachineDefinitionOp),
	"StartExecution":                   op(startExecutionOp),
	"StartSyncExecution":               opCtx(startSyncExecutionOp),
	"DescribeExecution":                op(describeExecutionOp),
	"DescribeStateMachineForExecution": op(describeStateMachineForExecutionOp),
	"GetExecutionHistory":              op(getExecutionHistoryOp),
	"ListExecutions":                   op(listExecutionsOp),
	"StopExecution":                    op(stopExecutionOp),
	"SendTaskSuccess":                  op(sendTaskSuccessOp),
	"SendTaskFailure":                  op(sendTaskFailureOp),
	"SendTaskHeartbeat":                op(sendTaskHeartbeatOp),
	"CreateActivity":                   op(createActivityOp),
	"DescribeActivity":                 op(describeActivityOp),
	"DeleteActivity":                   op(deleteActivityOp),
	"ListActivities":                   op(listActivitiesOp),
	"GetActivityTask":                  opCtx(getActivityTaskOp),
	"TagResource":                      op(tagResourceOp),
	"UntagResource":                    op(untagResourceOp),
	"ListTagsForResource":              op(listTagsForResourceOp),
	"PublishStateMachineVersion":       op(publishStateMachineVersionOp),
	"ListStateMachineVersions":         op(listStateMachineVersionsOp),
	"DeleteStateMachineVersion":        op(deleteStateMachineVersionOp),
	"CreateStateMachineAlias":          op(createStateMachineAliasOp),
	"DescribeStateMachineAlias":        op(describeStateMachineAliasOp),
	"UpdateStateMachineAlias":          op(updateStateMachineAliasOp),
	"DeleteStateMachineAlias":          op(deleteStateMachineAliasOp),
	"ListStateMachineAliases":          op(listStateMachineAliasesOp),
}

// Handler serves the Step Functions API; route it with
// Router.HandleTarget("AWSStepFunctions", svc.Handler()).
func (s *Service) Handler() awsapi.JSONHandler {
	return func(ctx context.Context, name string, body []byte) (any, *awsapi.Error) {
		f := operations[name]
		if f == nil {
			return nil, &awsapi.Error{Code: "UnknownOperationException", Message: "Unknown operation AWSStepFunctions." + name}
		}
		out, err := f(s, ctx, body)
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
	return opCtx(func(s *Service, _ context.Context, r *Req) (any, error) { return f(s, r) })
}

// opCtx is op for operations that wait and need the request's context.
func opCtx[Req any](f func(s *Service, ctx context.Context, r *Req) (any, error)) opFunc {
	return func(s *Service, ctx context.Context, body []byte) (any, error) {
		var r Req
		if err := decodeRequest(body, &r); err != nil {
			return nil, err
		}
		return f(s, ctx, &r)
	}
}

// requiredArn checks a required ARN member.
func requiredArn(member string, v *string) error {
	var vs violations
	vs.required(member, v != nil)
	if v != nil {
		vs.length(member, *v, 1, maxArnLen, false)
	}
	return vs.err()
}
