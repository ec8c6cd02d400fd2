// Package eventsapi serves the EventBridge service (emulator/events) over
// the awsJson1_1 protocol (X-Amz-Target "AWSEvents.<Operation>"), so the
// aws CLI and the SDKs work unchanged: request and response shapes with
// the service model's member names, the model's constraints ("1 validation
// error detected: ..."), paging tokens, and the mapping of service errors
// to AWS error codes (docs/eventbridge.md §3).
package eventsapi

import (
	"context"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/events"
)

// TargetPrefix is the X-Amz-Target prefix the router sends here.
const TargetPrefix = "AWSEvents"

// opFunc serves one operation from its raw request body.
type opFunc = awsapi.Operation[*events.Service]

// operations are the served operations; any other is
// UnknownOperationException.
var operations = map[string]opFunc{
	"PutEvents":         op(putEvents),
	"PutRule":           op(putRule),
	"DescribeRule":      op(describeRule),
	"ListRules":         op(listRules),
	"EnableRule":        op(enableRule),
	"DisableRule":       op(disableRule),
	"DeleteRule":        op(deleteRule),
	"PutTargets":        op(putTargets),
	"RemoveTargets":     op(removeTargets),
	"ListTargetsByRule": op(listTargetsByRule),
}

// Handler serves svc's API; route it with
// Router.HandleTarget(eventsapi.TargetPrefix, eventsapi.Handler(svc)).
func Handler(svc *events.Service) awsapi.JSONHandler {
	return awsapi.Operations(svc, TargetPrefix, operations, toAWS)
}

// op decodes the request into Req, checks its constraints and calls f.
func op[Req any, PReq interface {
	*Req
	validator
}](f func(s *events.Service, ctx context.Context, r *Req) (any, error)) opFunc {
	return func(s *events.Service, ctx context.Context, body []byte) (any, error) {
		var r Req
		if err := decodeRequest(body, &r); err != nil {
			return nil, err
		}
		if err := PReq(&r).validate(); err != nil {
			return nil, err
		}
		return f(s, ctx, &r)
	}
}

// none answers an operation with no output.
var none = awsapi.None
