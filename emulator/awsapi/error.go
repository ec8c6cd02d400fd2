// Package awsapi holds the wire mechanics shared by the emulator's AWS
// endpoints: routing a request to the service that owns it, AWS error
// bodies, request ids, and optional SigV4 signature checking with keys
// from an AWS credentials file. It knows no service's operations.
package awsapi

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Error is an AWS error response: an HTTP status, an error code and a
// message. Services return it from their operation handlers; only this
// package writes it to the wire.
type Error struct {
	// Status is the HTTP status code (400 unless said otherwise).
	Status int
	// Namespace prefixes Code in awsJson `__type` values, e.g.
	// "com.amazonaws.swf.service.v2.model". Empty for restJson services.
	Namespace string
	// Code is the AWS error code, e.g. "InvalidToken".
	Code string
	// Message is the human-readable text.
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errorf builds a 400 Error with a formatted message.
func Errorf(namespace, code, format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Namespace: namespace, Code: code, Message: fmt.Sprintf(format, args...)}
}

// ValidationNamespace is the namespace of model-constraint failures.
const ValidationNamespace = "com.amazon.coral.validate"

// Validation returns a ValidationException with AWS's message format.
func Validation(message string) *Error {
	return &Error{Status: http.StatusBadRequest, Namespace: ValidationNamespace, Code: "ValidationException", Message: message}
}

// Internal wraps an unexpected failure as a 500 InternalFailure.
func Internal(err error) *Error {
	return &Error{Status: http.StatusInternalServerError, Code: "InternalFailure", Message: err.Error()}
}

func (e *Error) typeName() string {
	if e.Namespace == "" {
		return e.Code
	}
	return e.Namespace + "#" + e.Code
}

func (e *Error) status() int {
	if e.Status == 0 {
		return http.StatusBadRequest
	}
	return e.Status
}

// WriteJSON10Error writes e as an awsJson1_0 error: `{"__type", "message"}`.
func WriteJSON10Error(w http.ResponseWriter, e *Error) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.Header().Set("X-Amzn-ErrorType", e.Code)
	w.WriteHeader(e.status())
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": e.typeName(), "message": e.Message})
}

// WriteRESTError writes e as a restJson1 error: header x-amzn-ErrorType and
// body `{"message"}`.
func WriteRESTError(w http.ResponseWriter, e *Error) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", e.Code)
	w.WriteHeader(e.status())
	_ = json.NewEncoder(w).Encode(map[string]string{"message": e.Message, "__type": e.Code})
}
