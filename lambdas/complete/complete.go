// Package complete is the Lambda that finishes a Step Functions task from a
// worker's message. An IoT topic rule (SELECT * FROM '<results topic>')
// invokes it with the message itself; it parses the message with
// jobwire.ParseResult and calls SendTaskSuccess, SendTaskFailure or
// SendTaskHeartbeat. A second rule (SELECT * FROM '<results topic>/progress/#'
// WHERE kind = 'progress') brings it the jobs' progress reports, and a
// progress report counts as a heartbeat: SendTaskHeartbeat.
//
// A message that cannot be parsed, or whose task is already gone
// (TaskTimedOut, InvalidToken, TaskDoesNotExist), is logged and dropped:
// retrying it could never succeed. Other Step Functions errors are returned
// so the invocation fails and is retried.
package complete

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/smithy-go"

	"github.com/stepwire/stepwire/internal/hop"
	"github.com/stepwire/stepwire/internal/jobwire"
)

// SFN is the part of the Step Functions client the handler uses.
type SFN interface {
	SendTaskSuccess(ctx context.Context, in *sfn.SendTaskSuccessInput, optFns ...func(*sfn.Options)) (*sfn.SendTaskSuccessOutput, error)
	SendTaskFailure(ctx context.Context, in *sfn.SendTaskFailureInput, optFns ...func(*sfn.Options)) (*sfn.SendTaskFailureOutput, error)
	SendTaskHeartbeat(ctx context.Context, in *sfn.SendTaskHeartbeatInput, optFns ...func(*sfn.Options)) (*sfn.SendTaskHeartbeatOutput, error)
}

var _ SFN = (*sfn.Client)(nil)

// Step Functions limits on SendTaskFailure's fields.
const (
	maxErrorLen = 256
	maxCauseLen = 32768
)

// Operation names, as logged in the hop line.
const (
	OpSuccess   = "SendTaskSuccess"
	OpFailure   = "SendTaskFailure"
	OpHeartbeat = "SendTaskHeartbeat"
)

// Handler completes tasks from worker messages.
type Handler struct {
	sfn    SFN
	logger *slog.Logger
}

// New returns a handler that calls c. A nil logger means slog.Default.
func New(c SFN, logger *slog.Logger) *Handler {
	return &Handler{sfn: c, logger: hop.OrDefault(logger)}
}

// NewFromEnv builds a handler on the AWS SDK's default configuration, which
// honours AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_SFN.
func NewFromEnv(ctx context.Context) (*Handler, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("complete: load aws config: %w", err)
	}
	return New(sfn.NewFromConfig(cfg), nil), nil
}

// Handle acts on one results-topic message.
func (h *Handler) Handle(ctx context.Context, event json.RawMessage) error {
	r, err := jobwire.ParseResult(event)
	if err != nil {
		h.logger.WarnContext(ctx, "dropping results message", "err", err, "size", len(event))
		return nil
	}
	ref := hop.TokenRef(r.TaskToken)
	hop.Log(ctx, h.logger, "complete", "op", opFor(r.Kind), "kind", string(r.Kind), hop.TokenRefKey, ref)
	op, err := h.send(ctx, r)
	if taskGone(err) {
		h.logger.WarnContext(ctx, "task is gone; dropping message", "op", op, hop.TokenRefKey, ref, "err", err)
		return nil
	}
	if err != nil {
		return fmt.Errorf("complete: %s: %w", op, err)
	}
	return nil
}

// opFor names the call a message of kind k makes.
func opFor(k jobwire.Kind) string {
	switch k {
	case jobwire.KindFailure:
		return OpFailure
	case jobwire.KindHeartbeat, jobwire.KindProgress:
		return OpHeartbeat
	}
	return OpSuccess
}

// send makes the call that r asks for and returns its operation name; a
// progress message is a heartbeat.
func (h *Handler) send(ctx context.Context, r jobwire.Result) (string, error) {
	switch r.Kind {
	case jobwire.KindFailure:
		_, err := h.sfn.SendTaskFailure(ctx, failureInput(r))
		return OpFailure, err
	case jobwire.KindHeartbeat, jobwire.KindProgress:
		_, err := h.sfn.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(r.TaskToken)})
		return OpHeartbeat, err
	default:
		out, err := successOutput(r.Result)
		if err != nil {
			return OpSuccess, err
		}
		_, err = h.sfn.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{
			TaskToken: aws.String(r.TaskToken),
			Output:    aws.String(out),
		})
		return OpSuccess, err
	}
}

// failureInput is the SendTaskFailure request for r. Error and cause are
// sent only when the worker gave them: Step Functions then omits the keys
// from TaskFailed, where an empty string would appear as "".
func failureInput(r jobwire.Result) *sfn.SendTaskFailureInput {
	in := &sfn.SendTaskFailureInput{TaskToken: aws.String(r.TaskToken)}
	if r.Error != "" {
		in.Error = aws.String(truncate(r.Error, maxErrorLen))
	}
	if r.Cause != "" {
		in.Cause = aws.String(truncate(r.Cause, maxCauseLen))
	}
	return in
}

// successOutput wraps a worker's result as {"result": <result>}, the task
// output the pattern's state machines expect in their ResultPath.
func successOutput(result json.RawMessage) (string, error) {
	b, err := json.Marshal(struct {
		Result json.RawMessage `json:"result"`
	}{result})
	if err != nil {
		return "", fmt.Errorf("encode output: %w", err)
	}
	return string(b), nil
}

// taskGone reports whether err says the task can no longer be completed.
func taskGone(err error) bool {
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

// truncate shortens s to at most n bytes without splitting a UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
