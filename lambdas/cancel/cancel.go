// Package cancel is the Lambda that stops a job on the on-premises worker
// when its execution ends without the job's result: an EventBridge rule on
// the "Step Functions Execution Status Change" events of the state machine
// (statuses ABORTED, TIMED_OUT, FAILED) invokes it with the event, and it
// publishes {"kind":"cancel","executionArn":"...","reason":"..."} to the
// worker's control topic through the IoT data plane. The worker cancels
// the context of every running job of that execution (the dispatch Lambda
// sends the executionArn with each job); a cancel for an unknown or
// finished job is ignored there. No table is needed, on AWS or locally.
package cancel

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/aws/aws-lambda-go/events"

	"github.com/stepwire/stepwire/internal/hop"
	"github.com/stepwire/stepwire/internal/jobwire"
	"github.com/stepwire/stepwire/lambdas/internal/iotpub"
)

// Publisher is the part of the IoT data plane client the handler uses.
type Publisher = iotpub.Publisher

// The event this Lambda reads (docs/eventbridge.md §1).
const (
	Source     = "aws.states"
	DetailType = "Step Functions Execution Status Change"
)

// cancelled are the statuses whose jobs are cancelled: an execution that
// is RUNNING or SUCCEEDED has no job to stop.
var cancelled = map[string]bool{"ABORTED": true, "TIMED_OUT": true, "FAILED": true}

// Handler publishes cancel messages to one control topic.
type Handler struct {
	topic  iotpub.Topic
	logger *slog.Logger
}

// New returns a handler that publishes to topic (the worker topic's
// jobwire.ControlTopic) with pub. A nil logger means slog.Default.
func New(pub Publisher, topic string, logger *slog.Logger) *Handler {
	return &Handler{topic: iotpub.Topic{Pub: pub, Name: topic}, logger: hop.OrDefault(logger)}
}

// NewFromEnv builds a handler from the Lambda environment: the AWS SDK's
// default configuration and CONTROL_TOPIC.
func NewFromEnv(ctx context.Context) (*Handler, error) {
	topic, err := iotpub.FromEnv(ctx, "CONTROL_TOPIC")
	if err != nil {
		return nil, fmt.Errorf("cancel: %w", err)
	}
	return New(topic.Pub, topic.Name, nil), nil
}

// detail is the part of a status change's detail the handler reads.
type detail struct {
	ExecutionArn string  `json:"executionArn"`
	Status       string  `json:"status"`
	Error        *string `json:"error"`
}

// Handle publishes a cancel for the execution a status change names. An
// event that is not a status change to ABORTED, TIMED_OUT or FAILED is
// logged and ignored: the rule's pattern should not have sent it.
func (h *Handler) Handle(ctx context.Context, ev events.CloudWatchEvent) error {
	if ev.Source != Source || ev.DetailType != DetailType {
		h.logger.Warn("ignoring an event that is not a Step Functions status change", "source", ev.Source, "detailType", ev.DetailType)
		return nil
	}
	var d detail
	if err := json.Unmarshal(ev.Detail, &d); err != nil {
		return fmt.Errorf("cancel: event detail: %w", err)
	}
	if d.ExecutionArn == "" || !cancelled[d.Status] {
		h.logger.Warn("ignoring a status change with no job to cancel", "executionArn", d.ExecutionArn, "status", d.Status)
		return nil
	}
	reason := "execution " + d.Status
	if d.Error != nil && *d.Error != "" {
		reason += ": " + *d.Error
	}
	msg, err := jobwire.NewCancel(d.ExecutionArn, reason)
	if err != nil {
		return fmt.Errorf("cancel: encode: %w", err)
	}
	hop.Log(ctx, h.logger, "cancel-publish", "topic", h.topic.Name, "executionArn", d.ExecutionArn, "status", d.Status)
	if err := h.topic.Publish(ctx, msg); err != nil {
		return fmt.Errorf("cancel: %w", err)
	}
	return nil
}
