package sfnapi

import (
	"context"

	"github.com/stepwire/stepwire/emulator/sfnemu"
)

// The task-token callbacks: SendTaskSuccess, SendTaskFailure and
// SendTaskHeartbeat.

func sendTaskSuccess(s *sfnemu.Service, ctx context.Context, r *sendTaskInput) (any, error) {
	var v violations
	checkToken(&v, r.TaskToken)
	v.required("output", r.Output != nil)
	if r.Output != nil {
		v.length("output", *r.Output, 0, maxPayload, true)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return none(s.SendTaskSuccess(ctx, sfnemu.SendTaskSuccessInput{TaskToken: *r.TaskToken, Output: *r.Output}))
}

func sendTaskFailure(s *sfnemu.Service, ctx context.Context, r *sendTaskInput) (any, error) {
	var v violations
	checkToken(&v, r.TaskToken)
	if r.Error != nil {
		v.length("error", *r.Error, 0, maxErrorLen, true)
	}
	if r.Cause != nil {
		v.length("cause", *r.Cause, 0, maxCauseLen, true)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return none(s.SendTaskFailure(ctx, sfnemu.SendTaskFailureInput{TaskToken: *r.TaskToken, Error: r.Error, Cause: r.Cause}))
}

func sendTaskHeartbeat(s *sfnemu.Service, ctx context.Context, r *sendTaskInput) (any, error) {
	var v violations
	checkToken(&v, r.TaskToken)
	if err := v.err(); err != nil {
		return nil, err
	}
	return none(s.SendTaskHeartbeat(ctx, sfnemu.SendTaskHeartbeatInput{TaskToken: *r.TaskToken}))
}

func checkToken(v *violations, token *string) {
	v.required("taskToken", token != nil)
	if token != nil {
		v.length("taskToken", *token, 1, maxTokenLen, false)
	}
}
