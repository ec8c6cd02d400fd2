// Package complete is the Lambda that finishes a Step Functions task from a
// worker's message. An IoT topic rule (SELECT * FROM '<results topic>')
// invokes it with the message itself; it parses the message with
// jobwire.ParseResult and calls SendTaskSuccess, SendTaskFailure or
// SendTaskHeartbeat.
//
// A message that cannot be parsed, or whose task is already gone
// (TaskTimedOut, InvalidToken, TaskDoesNotExist), is logged and dropped:
// retrying it could never succeed. Other Step Functions errors are returned
// so the invocation fails and is retried.
package complete

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepwire/stepwire/internal/hop"
	"github.com/stepwire/stepwire/internal/jobwire"
	"github.com/stepwire/stepwire/internal/sfncallback"
)

// SFN is the part of the Step Functions client the handler uses.
type SFN = sfncallback.SFN

// Operation names, as logged in the hop line.
const (
	OpSuccess   = sfncallback.OpSuccess
	OpFailure   = sfncallback.OpFailure
	OpHeartbeat = sfncallback.OpHeartbeat
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
	if hop.Enabled(ctx, h.logger) {
		hop.Log(ctx, h.logger, "complete", "op", sfncallback.Op(r.Kind), "kind", string(r.Kind), hop.TokenRefKey, hop.TokenRef(r.TaskToken))
	}
	op, err := sfncallback.Send(ctx, h.sfn, r)
	if sfncallback.TaskGone(err) {
		h.logger.WarnContext(ctx, "task is gone; dropping message", "op", op, hop.TokenRefKey, hop.TokenRef(r.TaskToken), "err", err)
		return nil
	}
	if err != nil {
		return fmt.Errorf("complete: %s: %w", op, err)
	}
	return nil
}
