package emulator_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/emulator/lambdaemu"
)

// lockedLog collects log output from the emulator's goroutines.
type lockedLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Close (what `stepwire up` does on SIGTERM) returns within two seconds
// with a thousand executions running, one of them in a Lambda that never
// returns, and logs how many executions were running.
func TestCloseWithRunningExecutionsIsBounded(t *testing.T) {
	const running = 1000
	var logs lockedLog
	srv := emulatortest.New(t, emulatortest.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	stuck := make(chan struct{})
	t.Cleanup(func() { close(stuck) })
	srv.Lambda.Register(lambdaemu.Function{Name: "stuck", Handler: lambda.NewHandler(func(context.Context) error {
		<-stuck // ignores its context
		return nil
	})})
	c := sfn.NewFromConfig(srv.AWSConfig())
	ctx := context.Background()
	wait := createMachine(t, c, "Wait", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`)
	for range running - 1 {
		if _, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: wait}); err != nil {
			t.Fatal(err)
		}
	}
	call := createMachine(t, c, "Call", `{"StartAt":"C","States":{"C":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"stuck"},"End":true}}}`)
	if _, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: call}); err != nil {
		t.Fatal(err)
	}

	begin := time.Now()
	if err := srv.Close(); err != nil {
		t.Logf("close: %v", err)
	}
	d := time.Since(begin)
	if d > 2*time.Second {
		t.Fatalf("Close took %v, want at most 2s", d)
	}
	t.Logf("Close took %v", d)
	if want := fmt.Sprintf("stopping with %d executions running", running); !strings.Contains(logs.String(), want) {
		t.Fatalf("the log does not say %q:\n%s", want, tail(logs.String(), 2000))
	}
}

func createMachine(t *testing.T, c *sfn.Client, name, definition string) *string {
	t.Helper()
	out, err := c.CreateStateMachine(context.Background(), &sfn.CreateStateMachineInput{Name: aws.String(name),
		Definition: aws.String(definition), RoleArn: aws.String("arn:aws:iam::123456789012:role/r")})
	if err != nil {
		t.Fatal(err)
	}
	return out.StateMachineArn
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}
