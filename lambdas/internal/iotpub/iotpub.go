// Package iotpub is what the Lambdas that publish over the IoT data plane
// share: the client interface they use, one topic to publish to, and the
// topic and client read from the Lambda environment.
package iotpub

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/iotdataplane"
)

// Publisher is the part of the IoT data plane client the Lambdas use.
type Publisher interface {
	Publish(ctx context.Context, in *iotdataplane.PublishInput, optFns ...func(*iotdataplane.Options)) (*iotdataplane.PublishOutput, error)
}

var _ Publisher = (*iotdataplane.Client)(nil)

// Topic publishes QoS 1 messages to one topic.
type Topic struct {
	Pub  Publisher
	Name string
}

// Publish sends payload to the topic.
func (t Topic) Publish(ctx context.Context, payload []byte) error {
	if _, err := t.Pub.Publish(ctx, &iotdataplane.PublishInput{Topic: aws.String(t.Name), Qos: 1, Payload: payload}); err != nil {
		return fmt.Errorf("publish to %q: %w", t.Name, err)
	}
	return nil
}

// FromEnv names the topic by the environment variable env and builds the
// client from the AWS SDK's default configuration (which honours
// AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_IOT_DATA_PLANE).
func FromEnv(ctx context.Context, env string) (Topic, error) {
	name := os.Getenv(env)
	if name == "" {
		return Topic{}, errors.New(env + " is not set")
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return Topic{}, fmt.Errorf("load aws config: %w", err)
	}
	return Topic{Pub: iotdataplane.NewFromConfig(cfg), Name: name}, nil
}
