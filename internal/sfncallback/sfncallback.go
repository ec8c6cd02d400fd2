// Package sfncallback makes the Step Functions call a worker's message
// asks for: SendTaskSuccess with {"result": <result>}, SendTaskFailure
// with the error and cause cut to Step Functions' limits, or
// SendTaskHeartbeat. The complete Lambda (lambdas/complete) and the
// worker's direct reporting (worker, --report direct) share it, so both
// paths report a job the same way.
package sfncallback

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/smithy-go"

	"github.com/stepwire/stepwire/internal/jobwire"
)

// SFN is the part of the Step Functions client the callbacks use.
type SFN interface {
	SendTaskSuccess(ctx context.Context, in *sfn.SendTaskSuccessInput, optFns ...func(*sfn.Options)) (*sfn.SendTaskSuccessOutput, error)
	SendTaskFailure(ctx context.Context, in *sfn.SendTaskFailureInput, optFns ...func(*sfn.Options)) (*sfn.SendTaskFailureOutput, error)
	SendTaskHeartbeat(ctx context.Context, in *sfn.SendTaskHeartbeatInput, optFns ...func(*sfn.Options)) (*sfn.SendTaskHeartbeatOutput, error)
}

var _ SFN = (*sfn.Client)(nil)

// Step Functions limits on SendTaskFailure's fields.
const (
	MaxErrorLen = 256
	MaxCauseLen = 32768
)

// Operation names.
const (
	OpSuccess   = "SendTaskSuccess"
	OpFailure   = "SendTaskFailure"
	OpHeartbeat = "SendTaskHeartbeat"
)

// Op names the call a message of kind k makes: a progress report counts
// as a heartbeat.
func Op(k jobwire.Kind) string {
	switch k {
	case jobwire.KindFailure:
		return OpFailure
	case jobwire.KindHeartbeat, jobwire.KindProgress:
		return OpHeartbeat
	}
	return OpSuccess
}

// Send makes the call that r asks for and returns its operation name; a
// progress report is a heartbeat.
func Send(ctx context.Context, c SFN, r jobwire.Result) (string, error) {
	switch r.Kind {
	case jobwire.KindFailure:
		_, err := c.SendTaskFailure(ctx, FailureInput(r))
		return OpFailure, err
	case jobwire.KindHeartbeat, jobwire.KindProgress:
		_, err := c.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(r.TaskToken)})
		return OpHeartbeat, err
	default:
		out, err := SuccessOutput(r.Result)
		if err != nil {
			return OpSuccess, err
		}
		_, err = c.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{
			TaskToken: aws.String(r.TaskToken),
			Output:    aws.String(out),
		})
		return OpSuccess, err
	}
}

// FailureInput is the SendTaskFailure request for r. Error and cause are
// sent only when the worker gave them: Step Functions then omits the keys
// from TaskFailed, where an empty string would appear as "".
func FailureInput(r jobwire.Result) *sfn.SendTaskFailureInput {
	in := &sfn.SendTaskFailureInput{TaskToken: aws.String(r.TaskToken)}
	if r.Error != "" {
		in.Error = aws.String(Truncate(r.Error, MaxErrorLen))
	}
	if r.Cause != "" {
		in.Cause = aws.String(Truncate(r.Cause, MaxCauseLen))
	}
	return in
}

// SuccessOutput wraps a worker's result as {"result": <result>}, the task
// output the pattern's state machines expect in their ResultPath.
func SuccessOutput(result json.RawMessage) (string, error) {
	b, err := json.Marshal(struct {
		Result json.RawMessage `json:"result"`
	}{result})
	if err != nil {
		return "", fmt.Errorf("encode output: %w", err)
	}
	return string(b), nil
}

// TaskGone reports whether err says the task can no longer be completed
// (TaskTimedOut, InvalidToken, TaskDoesNotExist): retrying could never
// succeed, so the message is logged and dropped.
func TaskGone(err error) bool {
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	switch apiErr.ErrorCode() {
	case "TaskTimedOut", "InvalidToken", "TaskDoesNotExist":
		return true
	}
	return false
}

// Truncate shortens s to at most n bytes without splitting a UTF-8 sequence.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
