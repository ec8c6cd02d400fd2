package events

import (
	"errors"

	"github.com/stepwire/stepwire/internal/svcerr"
)

// Sentinel errors returned by the Service, each inside an *Error whose
// detail is the whole message AWS sends (docs/eventbridge.md §3.4). Only
// the wire layer (eventsapi) knows their AWS codes.
var (
	ErrResourceNotFound    = errors.New("resource not found")
	ErrValidation          = errors.New("validation failed")
	ErrInvalidEventPattern = errors.New("invalid event pattern")
	ErrLimitExceeded       = errors.New("limit exceeded")
)

// Error is a service error: one of the sentinels above and AWS's message
// (for ErrInvalidEventPattern, the reason alone). errors.Is matches it
// against its sentinel.
type Error = svcerr.Error

var (
	fail  = svcerr.New
	failf = svcerr.Newf
)

// ruleNotFound is AWS's message for an unknown rule (docs/eventbridge.md §3.2).
func ruleNotFound(name string) error {
	return failf(ErrResourceNotFound, "Rule %s does not exist on EventBus %s.", name, DefaultBus)
}
