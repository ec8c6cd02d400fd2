package sfnemu

import (
	"errors"

	"github.com/stepwire/stepwire/emulator/asl"
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

// defaultDiagnostics is the page size when maxResults is 0 or absent.
const defaultDiagnostics = 100

func validateStateMachineDefinitionOp(s *Service, r *validateDefinitionInput) (any, error) {
	var v violations
	v.required("definition", r.Definition != nil)
	if r.Definition != nil {
		v.length("definition", *r.Definition, 1, maxDefinitionLen, true)
	}
	if r.Type != "" {
		v.enum("type", r.Type, typeStandard, typeExpress)
	}
	if r.Severity != "" {
		v.enum("severity", r.Severity, "ERROR", "WARNING")
	}
	v.rangeInt("maxResults", int64(r.MaxResults), 0, 100)
	if err := v.err(); err != nil {
		return nil, err
	}
	typ := r.Type
	if typ == "" {
		typ = typeStandard
	}
	out := validateDefinitionOutput{Result: "OK", Diagnostics: []diagnostic{}}
	_, err := asl.Parse([]byte(*r.Definition), asl.Options{Type: typ})
	if err == nil {
		return out, nil
	}
	var de *asl.DefinitionError
	if !errors.As(err, &de) {
		de = &asl.DefinitionError{Problems: []asl.Problem{{Code: asl.CodeSchema, Message: err.Error()}}}
	}
	limit := int(r.MaxResults)
	if limit == 0 {
		limit = defaultDiagnostics
	}
	out.Result = "FAIL"
	for _, p := range de.Problems {
		if len(out.Diagnostics) == limit {
			out.Truncated = true
			break
		}
		out.Diagnostics = append(out.Diagnostics, diagnostic{Severity: p.Severity(), Code: p.Code, Message: p.Message, Location: p.Location})
	}
	return out, nil
}
