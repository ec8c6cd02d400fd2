package awsapi

import (
	"context"
	"errors"
)

// Operation serves one awsJson operation of a service S from its raw
// request body; a non-nil error is an *Error or a service error for the
// wire package's table.
type Operation[S any] func(svc S, ctx context.Context, body []byte) (any, error)

// Operations serves a service's awsJson operations by name: prefix is the
// X-Amz-Target prefix (for UnknownOperationException), toAWS the wire
// package's one error table for the errors that are not already *Error.
func Operations[S any](svc S, prefix string, ops map[string]Operation[S], toAWS func(error) *Error) JSONHandler {
	return func(ctx context.Context, name string, body []byte) (any, *Error) {
		f := ops[name]
		if f == nil {
			return nil, &Error{Code: "UnknownOperationException", Message: "Unknown operation " + prefix + "." + name}
		}
		out, err := f(svc, ctx, body)
		if err == nil {
			return out, nil
		}
		var ae *Error
		if errors.As(err, &ae) {
			return nil, ae
		}
		return nil, toAWS(err)
	}
}

// Empty is the answer of operations that return nothing: {}.
type Empty struct{}

// None answers an operation with no output: Empty, or err.
func None(err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return Empty{}, nil
}
