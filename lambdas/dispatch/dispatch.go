// Package dispatch is the Lambda that hands a Step Functions task to an
// on-premises worker: the state machine invokes it from a
// lambda:invoke.waitForTaskToken Task with the payload
// {"Input": <state input>, "TaskToken": "...", "executionArn": "..."}, and it
// publishes that payload, unchanged, to the worker's MQTT topic through the
// IoT data plane at QoS 1. The executionArn ($$.Execution.Id in the state
// machine's Payload) travels with the job so that the cancel Lambda can name
// the execution, and no table is needed to find its jobs.
//
// A publish failure is returned as an error, so the Task fails and its Retry
// rules apply instead of the execution waiting for a job that was never sent.
package dispatch

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/stepwire/stepwire/internal/hop"
	"github.com/stepwire/stepwire/internal/jobwire"
	"github.com/stepwire/stepwire/lambdas/internal/iotpub"
)

// Publisher is the part of the IoT data plane client the handler uses.
type Publisher = iotpub.Publisher

// Response is what the Lambda returns after publishing the job.
type Response struct {
	StatusCode int    `json:"statusCode"`
	Body       string `json:"body"`
}

// Handler publishes jobs to one worker topic.
type Handler struct {
	topic  iotpub.Topic
	logger *slog.Logger
}

// New returns a handler that publishes to topic with pub. A nil logger means
// slog.Default.
func New(pub Publisher, topic string, logger *slog.Logger) *Handler {
	return &Handler{topic: iotpub.Topic{Pub: pub, Name: topic}, logger: hop.OrDefault(logger)}
}

// NewFromEnv builds a handler from the Lambda environment: the AWS SDK's
// default configuration (which honours AWS_ENDPOINT_URL and
// AWS_ENDPOINT_URL_IOT_DATA_PLANE) and WORKER_TOPIC.
func NewFromEnv(ctx context.Context) (*Handler, error) {
	topic, err := iotpub.FromEnv(ctx, "WORKER_TOPIC")
	if err != nil {
		return nil, fmt.Errorf("dispatch: %w", err)
	}
	return New(topic.Pub, topic.Name, nil), nil
}

// Handle publishes event to the worker topic. The event must be a valid job
// (jobwire.ParseJob): without a TaskToken no worker could ever complete the
// task, and a job a worker would refuse is better refused here, where the
// Task fails at once.
func (h *Handler) Handle(ctx context.Context, event json.RawMessage) (Response, error) {
	j, err := jobwire.ParseJob(event)
	if err != nil {
		return Response{}, fmt.Errorf("dispatch: %w", err)
	}
	if hop.Enabled(ctx, h.logger) {
		hop.Log(ctx, h.logger, "dispatch-publish", "topic", h.topic.Name, hop.TokenRefKey, hop.TokenRef(j.TaskToken))
	}
	if err := h.topic.Publish(ctx, event); err != nil {
		return Response{}, fmt.Errorf("dispatch: %w", err)
	}
	return Response{StatusCode: 200, Body: "job published to " + h.topic.Name}, nil
}
