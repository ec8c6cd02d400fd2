package asl

import (
	"fmt"
	"strings"
)

// Problem codes used by Step Functions' definition validation.
const (
	CodeSchema            = "SCHEMA_VALIDATION_FAILED"
	CodeInvalidJSON       = "INVALID_JSON_DESCRIPTION"
	CodeMissingTransition = "MISSING_TRANSITION_TARGET"
	// CodeUnreachable is the code AWS reports unreachable states with.
	CodeUnreachable    = "MISSING_TRANSITION_TARGET"
	CodeDuplicateState = "DUPLICATE_STATE_NAME"
	CodeMissingEnd     = "MISSING_END_STATE"
	// CodeInvalidJSONata reports an expression that does not parse.
	CodeInvalidJSONata = "INVALID_JSONATA_EXPRESSION"
)

// SeverityError is the severity of every problem stepwire reports.
const SeverityError = "ERROR"

// Problem is one validation failure.
type Problem struct {
	Code    string
	Message string
	// Location is a JSON pointer such as /States/X/Resource; empty when
	// the problem has no place (and for INVALID_JSON_DESCRIPTION, the
	// parser's source position text).
	Location string
}

// Severity is ERROR: a definition with the problem is refused.
// ValidateStateMachineDefinition lists problems as diagnostics {severity,
// code, message, location (omitted when empty)}.
func (p Problem) Severity() string { return SeverityError }

// String renders the problem as InvalidDefinition messages do.
func (p Problem) String() string {
	s := p.Code + ": " + p.Message
	switch {
	case p.Code == CodeMissingEnd && p.Location == "":
		s += " at null"
	case p.Location != "" && p.Code != CodeInvalidJSON:
		s += " at " + p.Location
	}
	return s
}

// DefinitionError is an invalid definition with every problem found.
type DefinitionError struct {
	Problems []Problem
}

// Error returns the exact InvalidDefinition message Step Functions sends.
func (e *DefinitionError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return "Invalid State Machine Definition: '" + strings.Join(parts, ", ") + "'"
}

// problems collects validation failures while parsing.
type problems struct {
	list []Problem
	// inCatcher is set while a catcher's Output and Assign compile: only
	// there does $states.errorOutput exist.
	inCatcher bool
	// readsContext is set once an expression may read $states.context.
	readsContext bool
}

func (p *problems) add(code, loc, format string, args ...any) {
	p.list = append(p.list, Problem{Code: code, Message: fmt.Sprintf(format, args...), Location: loc})
}

func (p *problems) schema(loc, format string, args ...any) {
	p.add(CodeSchema, loc, format, args...)
}
