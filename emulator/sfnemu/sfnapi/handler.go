// Package sfnapi serves the Step Functions service (emulator/sfnemu) over
// the awsJson1_0 protocol (X-Amz-Target "AWSStepFunctions.<Operation>"),
// so the aws CLI and the SDKs work unchanged: request and response shapes,
// decoding with the service's deserializer messages, the model's
// constraints ("1 validation error detected: ..."), paging tokens, epoch
// timestamps and the mapping of service errors to AWS error codes.
package sfnapi

import (
	"context"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/sfnemu"
)

// opFunc serves one operation from its raw request body. ctx ends with the
// HTTP request.
type opFunc = awsapi.Operation[*sfnemu.Service]

// operations are the served X-Amz-Target operations; any other is
// UnknownOperationException.
var operations = map[string]opFunc{
	"CreateStateMachine":               op(createStateMachine),
	"DescribeStateMachine":             op(describeStateMachine),
	"UpdateStateMachine":               op(updateStateMachine),
	"DeleteStateMachine":               op(deleteStateMachine),
	"ListStateMachines":                op(listStateMachines),
	"ValidateStateMachineDefinition":   op(validateStateMachineDefinition),
	"StartExecution":                   op(startExecution),
	"StartSyncExecution":               op(startSyncExecution),
	"TestState":                        op(testState),
	"DescribeExecution":                op(describeExecution),
	"DescribeStateMachineForExecution": op(describeStateMachineForExecution),
	"GetExecutionHistory":              op(getExecutionHistory),
	"ListExecutions":                   op(listExecutions),
	"StopExecution":                    op(stopExecution),
	"RedriveExecution":                 op(redriveExecution),
	"DescribeMapRun":                   op(describeMapRun),
	"ListMapRuns":                      op(listMapRuns),
	"UpdateMapRun":                     op(updateMapRun),
	"SendTaskSuccess":                  op(sendTaskSuccess),
	"SendTaskFailure":                  op(sendTaskFailure),
	"SendTaskHeartbeat":                op(sendTaskHeartbeat),
	"CreateActivity":                   op(createActivity),
	"DescribeActivity":                 op(describeActivity),
	"DeleteActivity":                   op(deleteActivity),
	"ListActivities":                   op(listActivities),
	"GetActivityTask":                  op(getActivityTask),
	"TagResource":                      op(tagResource),
	"UntagResource":                    op(untagResource),
	"ListTagsForResource":              op(listTagsForResource),
	"PublishStateMachineVersion":       op(publishStateMachineVersion),
	"ListStateMachineVersions":         op(listStateMachineVersions),
	"DeleteStateMachineVersion":        op(deleteStateMachineVersion),
	"CreateStateMachineAlias":          op(createStateMachineAlias),
	"DescribeStateMachineAlias":        op(describeStateMachineAlias),
	"UpdateStateMachineAlias":          op(updateStateMachineAlias),
	"DeleteStateMachineAlias":          op(deleteStateMachineAlias),
	"ListStateMachineAliases":          op(listStateMachineAliases),
}

// Handler serves svc's API; route it with
// Router.HandleTarget("AWSStepFunctions", sfnapi.Handler(svc)).
func Handler(svc *sfnemu.Service) awsapi.JSONHandler {
	return awsapi.Operations(svc, "AWSStepFunctions", operations, toAWS)
}

// op decodes the request into Req and calls f.
func op[Req any](f func(s *sfnemu.Service, ctx context.Context, r *Req) (any, error)) opFunc {
	return func(s *sfnemu.Service, ctx context.Context, body []byte) (any, error) {
		var r Req
		if err := decodeRequest(body, &r); err != nil {
			return nil, err
		}
		return f(s, ctx, &r)
	}
}

// none answers an operation with no output.
var none = awsapi.None
