package iotemu

import (
	"context"
	"fmt"
	"strings"

	"github.com/stepwire/stepwire/internal/hop"
)

// Publish publishes like the iot-data Publish API: through the broker's
// inline client, authorized by IAM rather than IoT policies.
func (s *Service) Publish(ctx context.Context, topic string, payload []byte, qos byte) error {
	return s.publish(ctx, topic, payload, qos, false)
}

func (s *Service) publish(ctx context.Context, topic string, payload []byte, qos byte, retain bool) error {
	if err := validTopic(topic); err != nil {
		return fmt.Errorf("publish to %q: %w", topic, err)
	}
	if qos > 1 {
		return fmt.Errorf("publish to %q: %w: qos must be 0 or 1", topic, ErrInvalidRequest)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("publish to %q: %w", topic, err)
	}
	if s.hopsOn() {
		hop.Log(ctx, s.log, "publish", "topic", topic)
	}
	if err := s.broker.Publish(topic, payload, retain, qos); err != nil {
		return fmt.Errorf("publish to %q: %w", topic, err)
	}
	return nil
}

func validTopic(topic string) error {
	switch {
	case topic == "":
		return fmt.Errorf("%w: empty topic", ErrInvalidRequest)
	case strings.ContainsAny(topic, "+#"):
		return fmt.Errorf("%w: topic names may not contain wildcards", ErrInvalidRequest)
	case strings.ContainsRune(topic, 0):
		return fmt.Errorf("%w: topic contains U+0000", ErrInvalidRequest)
	case strings.HasPrefix(topic, "$SYS"):
		return fmt.Errorf("%w: reserved topic", ErrInvalidRequest)
	}
	return topicLimits(topic)
}
