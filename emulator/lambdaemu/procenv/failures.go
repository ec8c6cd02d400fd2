package procenv

import (
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"time"
)

// errorBody is Lambda's error object (docs/lambda.md §1.2).
func errorBody(typ, msg string) []byte {
	b, _ := json.Marshal(struct {
		ErrorMessage string `json:"errorMessage"`
		ErrorType    string `json:"errorType"`
	}{msg, typ})
	return b
}

// timedOut is the caller's payload for an invocation past the function's
// Timeout: Sandbox.Timedout with the configured timeout to two decimals
// (docs/lambda.md §1.3).
func timedOut(id string, timeout time.Duration) []byte {
	return errorBody("Sandbox.Timedout", fmt.Sprintf("RequestId: %s Error: %s", id, timeoutText(timeout)))
}

func timeoutText(timeout time.Duration) string {
	return fmt.Sprintf("Task timed out after %.2f seconds", timeout.Seconds())
}

// exited is the caller's payload when the process ended during an
// invocation: Runtime.ExitError with Lambda's wording of the exit.
func exited(id string, err error) []byte {
	reason := "Runtime exited without providing a reason"
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		reason = "Runtime exited with error: " + ee.String()
	case err != nil:
		reason = "Runtime exited with error: " + err.Error()
	}
	return errorBody("Runtime.ExitError", fmt.Sprintf("RequestId: %s Error: %s", id, reason))
}

// invalidEntrypoint is the payload when the process cannot be started.
func invalidEntrypoint(id string, err error) []byte {
	return errorBody("Runtime.InvalidEntrypoint", fmt.Sprintf("RequestId: %s Error: %v", id, err))
}

// MaxResponse is the largest response a runtime may post: 6 MiB + 100 B
// (docs/lambda.md §1.3).
const MaxResponse = 6*1024*1024 + 100

// responseTooLarge is the caller's payload for a response over
// MaxResponse.
func responseTooLarge() []byte {
	return errorBody("Function.ResponseSizeTooLarge",
		fmt.Sprintf("Response payload size exceeded maximum allowed payload size (%d bytes).", MaxResponse))
}
