// Command cancel-lambda is the entry point of the stepwire cancel Lambda
// (see package lambdas/cancel). It reads CONTROL_TOPIC and the AWS SDK's
// standard environment.
//
// Build it for the provided.al2023 runtime: a static linux binary named
// bootstrap at the root of the deployment zip, for example
//
//	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -tags lambda.norpc -o bootstrap ./cmd/cancel-lambda
package main

import (
	"context"
	"log"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/stepwire/stepwire/lambdas/cancel"
)

func main() {
	// One JSON object per line, which CloudWatch Logs indexes.
	slog.SetDefault(slog.New(slog.NewJSONHandler(os.Stdout, nil)))
	h, err := cancel.NewFromEnv(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	lambda.Start(h.Handle)
}
