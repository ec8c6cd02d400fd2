package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/stepwire/stepwire/internal/arn"
)

// endpointURL picks the emulator's API endpoint: the flag, else
// AWS_ENDPOINT_URL, else <data-dir>/endpoints.json, else the default port.
func endpointURL(flagValue, dataDir string) string {
	if flagValue != "" {
		return flagValue
	}
	if v := os.Getenv("AWS_ENDPOINT_URL"); v != "" {
		return v
	}
	b, err := os.ReadFile(filepath.Join(dataDir, "endpoints.json"))
	if err == nil {
		var e struct{ HTTP string }
		if json.Unmarshal(b, &e) == nil && e.HTTP != "" {
			return e.HTTP
		}
	}
	return "http://127.0.0.1:4566"
}

// sdkConfig loads the AWS SDK config from the environment, pointed at
// endpoint. Without credentials in the environment it uses dummy ones,
// which an emulator started without --credentials accepts.
func sdkConfig(ctx context.Context, endpoint string) (aws.Config, error) {
	opts := []func(*config.LoadOptions) error{config.WithBaseEndpoint(endpoint)}
	if os.Getenv("AWS_REGION") == "" && os.Getenv("AWS_DEFAULT_REGION") == "" {
		opts = append(opts, config.WithRegion(arn.DefaultRegion))
	}
	if os.Getenv("AWS_ACCESS_KEY_ID") == "" && os.Getenv("AWS_PROFILE") == "" {
		opts = append(opts, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("stepwire", "stepwire", "")))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load aws config: %w", err)
	}
	return cfg, nil
}
