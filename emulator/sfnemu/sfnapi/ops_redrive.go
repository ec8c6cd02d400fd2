package sfnapi

import (
	"context"

	"github.com/stepwire/stepwire/emulator/sfnemu"
)

// RedriveExecution (docs/step-functions.md §7).

type redriveExecutionInput struct {
	ExecutionArn *string `json:"executionArn"`
	ClientToken  *string `json:"clientToken"`
}

type redriveExecutionOutput struct {
	RedriveDate epoch `json:"redriveDate"`
}

func redriveExecution(s *sfnemu.Service, ctx context.Context, r *redriveExecutionInput) (any, error) {
	if err := requiredArn("executionArn", r.ExecutionArn); err != nil {
		return nil, err
	}
	var v violations
	if r.ClientToken != nil {
		v.length("clientToken", *r.ClientToken, 1, 64, false)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	out, err := s.RedriveExecution(ctx, sfnemu.RedriveExecutionInput{ExecutionArn: *r.ExecutionArn, ClientToken: r.ClientToken})
	if err != nil {
		return nil, err
	}
	return redriveExecutionOutput{RedriveDate: epoch(out.RedriveDate)}, nil
}
