package worker_test

// Tests of the worker against a whole emulator (emulatortest): the real
// dispatch Lambda, IoT data plane, broker, topic rule and complete Lambda.

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iotdataplane"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/internal/jobwire"
	"github.com/stepwire/stepwire/worker"
)

const (
	machineArn  = "arn:aws:states:us-east-1:123456789012:stateMachine:MqttBasedStateMachine"
	thing       = "mqtt-container-client"
	policy      = "OnPremContainer"
	workerTopic = "tenant1/to/worker"
	lambdaTopic = "tenant1/to/lambda"
)

// lockedBuffer collects the emulator's logs.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// poll waits until cond holds, failing after 10s.
func poll(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond) // polling interval, not synchronisation
	}
}

func historyCount(t *testing.T, c *sfn.Client, arn, typ string) int {
	t.Helper()
	h, err := c.GetExecutionHistory(context.Background(), &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range h.Events {
		if string(e.Type) == typ {
			n++
		}
	}
	return n
}

// A job dispatched while the worker is offline waits in its persistent
// session and runs when the worker connects again; the result, published a
// second time, completes the task once, and the repeat gets a TaskTimedOut
// that the complete Lambda logs and drops.
func TestOfflineJobRunsAfterReconnectAndDuplicateResultIsHarmless(t *testing.T) {
	var logs lockedBuffer
	srv := emulatortest.New(t, emulatortest.WithTemplate("../template.yaml"),
		emulatortest.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	cfg := worker.Config{ClientID: thing, SubscribeTopic: workerTopic, SubmitTopic: lambdaTopic,
		Endpoint: srv.Endpoints().MQTT, TLSConfig: srv.ClientTLS(thing, policy)}

	// Connect once, so the broker has the session, then go offline cleanly.
	w, err := worker.New(cfg, worker.DefaultHandler(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	select {
	case <-w.Ready():
	case <-time.After(10 * time.Second):
		t.Fatal("worker not ready")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}

	c := sfn.NewFromConfig(srv.AWSConfig())
	out, err := c.StartExecution(context.Background(), &sfn.StartExecutionInput{
		StateMachineArn: aws.String(machineArn), Input: aws.String(`{"a":15,"b":42}`)})
	if err != nil {
		t.Fatal(err)
	}
	arn := aws.ToString(out.ExecutionArn)
	poll(t, "the job to be dispatched", func() bool { return historyCount(t, c, arn, "TaskSubmitted") == 1 })

	tokens := make(chan string, 4)
	h := worker.HandlerFunc(func(ctx context.Context, job jobwire.Job) (json.RawMessage, error) {
		tokens <- job.TaskToken
		return worker.Add(ctx, job)
	})
	srv.StartWorker(cfg, policy, h)
	status, err := srv.SFN.WaitExecution(context.Background(), arn)
	if err != nil || status != "SUCCEEDED" {
		t.Fatalf("execution %s %v, want SUCCEEDED", status, err)
	}

	token := <-tokens
	again, _ := jobwire.Success(token, 57)
	data := iotdataplane.NewFromConfig(srv.AWSConfig())
	if _, err := data.Publish(context.Background(), &iotdataplane.PublishInput{
		Topic: aws.String(lambdaTopic), Qos: 1, Payload: again}); err != nil {
		t.Fatal(err)
	}
	poll(t, "the complete Lambda to drop the repeated result", func() bool {
		return strings.Contains(logs.String(), "TaskTimedOut")
	})
	if n := historyCount(t, c, arn, "TaskSucceeded"); n != 1 {
		t.Fatalf("%d TaskSucceeded events, want 1", n)
	}
	if len(tokens) != 0 {
		t.Fatal("the job ran twice")
	}
}
