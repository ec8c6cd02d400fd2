package sfnapi

import (
	"context"

	"github.com/stepwire/stepwire/emulator/sfnemu"
)

// ValidateStateMachineDefinition: an invalid definition is a 200 with
// result FAIL and one diagnostic per problem; only a malformed request is
// a ValidationException.

type validateDefinitionInput struct {
	Definition *string `json:"definition"`
	Type       string  `json:"type"`
	Severity   string  `json:"severity"`
	MaxResults int32   `json:"maxResults"`
}

type validateDefinitionOutput struct {
	Result      string       `json:"result"`
	Diagnostics []diagnostic `json:"diagnostics"`
	Truncated   bool         `json:"truncated"`
}

type diagnostic struct {
	Severity string `json:"severity"`
	Code     string `json:"code"`
	Message  string `json:"message"`
	Location string `json:"location,omitempty"`
}

func validateStateMachineDefinition(s *sfnemu.Service, ctx context.Context, r *validateDefinitionInput) (any, error) {
	var v violations
	v.required("definition", r.Definition != nil)
	if r.Definition != nil {
		v.length("definition", *r.Definition, 1, maxDefinitionLen, true)
	}
	if r.Type != "" {
		v.enum("type", r.Type, "STANDARD", "EXPRESS")
	}
	if r.Severity != "" {
		v.enum("severity", r.Severity, "ERROR", "WARNING")
	}
	v.rangeInt("maxResults", int64(r.MaxResults), 0, 100)
	if err := v.err(); err != nil {
		return nil, err
	}
	res, err := s.ValidateStateMachineDefinition(ctx, sfnemu.ValidateDefinitionInput{Definition: *r.Definition,
		Type: r.Type, MaxResults: int(r.MaxResults)})
	if err != nil {
		return nil, err
	}
	out := validateDefinitionOutput{Result: res.Result, Diagnostics: make([]diagnostic, len(res.Diagnostics)), Truncated: res.Truncated}
	for i, d := range res.Diagnostics {
		out.Diagnostics[i] = diagnostic{Severity: d.Severity, Code: d.Code, Message: d.Message, Location: d.Location}
	}
	return out, nil
}
