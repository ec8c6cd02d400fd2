// Command fn is the Go function the procenv tests run as a provided
// runtime's bootstrap: aws-lambda-go's lambda.Start speaks the Runtime API.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

var pid = os.Getpid()

type event struct {
	Op    string `json:"op"`
	Ms    int    `json:"ms"`
	Bytes int    `json:"bytes"`
}

func handle(ctx context.Context, ev event) (any, error) {
	lc, _ := lambdacontext.FromContext(ctx)
	fmt.Printf("handling %s\n", ev.Op)
	switch ev.Op {
	case "pid":
		return map[string]any{"pid": pid}, nil
	case "sleep":
		time.Sleep(time.Duration(ev.Ms) * time.Millisecond)
		return map[string]any{"pid": pid}, nil
	case "env":
		env := map[string]string{}
		for _, kv := range os.Environ() {
			k, v, _ := strings.Cut(kv, "=")
			env[k] = v
		}
		dl, _ := ctx.Deadline()
		return map[string]any{"env": env, "requestId": lc.AwsRequestID, "arn": lc.InvokedFunctionArn,
			"deadlineInMs": time.Until(dl).Milliseconds()}, nil
	case "error":
		return nil, errors.New("something failed")
	case "panic":
		panic("boom")
	case "exit":
		os.Exit(3)
	case "big":
		return strings.Repeat("x", ev.Bytes), nil
	}
	return ev, nil
}

func main() {
	if msg := os.Getenv("FAIL_INIT"); msg != "" {
		body, _ := json.Marshal(map[string]any{"errorMessage": msg, "errorType": "InitFailed", "stackTrace": []string{}})
		url := "http://" + os.Getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime/init/error"
		resp, err := http.Post(url, "application/json", bytes.NewReader(body))
		if err == nil {
			_ = resp.Body.Close()
		}
		os.Exit(1)
	}
	lambda.Start(handle)
}
