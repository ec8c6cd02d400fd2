// Package svcerr is the error value stepwire's services return: a sentinel
// that says what went wrong and the detail AWS quotes in its message. Only
// a service's wire layer maps the sentinel to an AWS error code.
package svcerr

import "fmt"

// Error is a service error: Kind is one of the service's sentinels, Detail
// the text AWS quotes (an ARN, a name, or the whole message). errors.Is
// matches it against its sentinel.
type Error struct {
	Kind   error
	Detail string
}

func (e *Error) Error() string { return e.Kind.Error() + ": " + e.Detail }
func (e *Error) Unwrap() error { return e.Kind }

// New returns an *Error of kind with detail.
func New(kind error, detail string) error { return &Error{Kind: kind, Detail: detail} }

// Newf returns an *Error of kind with a formatted detail.
func Newf(kind error, format string, args ...any) error {
	return New(kind, fmt.Sprintf(format, args...))
}
