package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/internal/jobwire"
	"github.com/stepwire/stepwire/worker"
)

const cancels = 300

// BenchmarkCancelLatency measures how long a StopExecution takes to reach
// the job on the worker, the way AWS carries it: StopExecution → ABORTED
// status-change event on the default bus → the template's EventBridge rule
// → cancel Lambda → control topic over MQTT → the worker cancels the
// handler's context. It reports p50 and p99 from the StopExecution call to
// the handler seeing its context done, and prints them as its last line.
func BenchmarkCancelLatency(b *testing.B) {
	srv := emulatortest.New(b, emulatortest.WithTemplate("../template.yaml"))
	started, done := make(chan struct{}, 1), make(chan time.Time, 1)
	h := worker.HandlerFunc(func(ctx context.Context, _ jobwire.Job) (json.RawMessage, error) {
		started <- struct{}{}
		<-ctx.Done()
		done <- time.Now()
		return nil, ctx.Err()
	})
	srv.StartWorker(worker.Config{ClientID: "mqtt-container-client", SubscribeTopic: "tenant1/to/worker",
		SubmitTopic: "tenant1/to/lambda"}, "OnPremContainer", h)
	c := sfn.NewFromConfig(srv.AWSConfig())
	for range 20 { // warm up
		cancelOnce(b, c, started, done)
	}
	b.ResetTimer()
	for b.Loop() {
		lat := make([]time.Duration, cancels)
		for i := range lat {
			lat[i] = cancelOnce(b, c, started, done)
		}
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		p50, p99 := ms(lat[len(lat)/2]), ms(lat[len(lat)*99/100])
		b.ReportMetric(p50, "p50_ms")
		b.ReportMetric(p99, "p99_ms")
		fmt.Printf("cancel_p50_ms=%.3f cancel_p99_ms=%.3f (n=%d)\n", p50, p99, cancels)
	}
}

// cancelOnce starts an execution, waits for its job to run on the worker,
// stops the execution and returns the time from StopExecution to the
// handler's context being done.
func cancelOnce(b *testing.B, c *sfn.Client, started <-chan struct{}, done <-chan time.Time) time.Duration {
	ctx := context.Background()
	out, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(machineArn), Input: aws.String(`{"a":1,"b":2}`)})
	if err != nil {
		b.Fatal(err)
	}
	wait(b, started, "the job to start")
	t0 := time.Now()
	if _, err := c.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: out.ExecutionArn}); err != nil {
		b.Fatal(err)
	}
	return wait(b, done, "the handler's context to be cancelled").Sub(t0)
}

func wait[T any](b *testing.B, ch <-chan T, what string) T {
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		b.Fatalf("waited 10s for %s", what)
		var zero T
		return zero
	}
}
