// Command gofn is a Go function whose package stepwire builds on start
// (CodeUri names this directory, which has no bootstrap).
package main

import (
	"context"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(func(ctx context.Context, in map[string]any) (map[string]any, error) {
		return map[string]any{"echo": in, "function": os.Getenv("AWS_LAMBDA_FUNCTION_NAME")}, nil
	})
}
