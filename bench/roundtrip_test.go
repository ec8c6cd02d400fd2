// Package bench measures stepwire end to end. Run it with `make bench`; it
// is a benchmark, not a test: it asserts nothing about speed.
package bench

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepwire/stepwire/emulator"
	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/emulator/store"
	"github.com/stepwire/stepwire/worker"
)

const (
	machineArn  = "arn:aws:states:us-east-1:123456789012:stateMachine:MqttBasedStateMachine"
	sequential  = 1000
	concurrency = 64
	concurrent  = 6400
)

// BenchmarkRoundTrip runs the sample job: StartExecution (AWS SDK over
// HTTP) → dispatch Lambda → MQTT over mTLS → worker → results topic → rule →
// complete Lambda → SendTaskSuccess → SUCCEEDED. It reports sequential p50
// and p99 latency and the throughput with 64 executions in flight, and
// prints them as its last line.
func BenchmarkRoundTrip(b *testing.B) {
	roundTripBench(b, "roundtrip", emulatortest.WithTemplate("../template.yaml"))
}

// BenchmarkRoundTripDurable is BenchmarkRoundTrip with the emulator's
// state in a state file, as `stepwire up` keeps it, measured side by side
// with an in-memory emulator: the two in turns, and the ratios of their
// figures (docs/durability.md §5; the bar: p50 at most 1.5×, throughput
// at least 0.7×). It measures the default sync mode (background) and,
// beside it, --sync commit.
func BenchmarkRoundTripDurable(b *testing.B) {
	tpl := emulatortest.WithTemplate("../template.yaml")
	mem, memC := sampleEmulator(b, tpl)
	dur, durC := sampleEmulator(b, tpl, emulatortest.WithDurable())
	com, comC := sampleEmulator(b, tpl, emulatortest.WithDurable(), emulatortest.WithSync(store.SyncCommit))
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		var memLat, durLat, comLat []time.Duration
		for range sequential / 100 { // in turns, so that all see the same machine
			for range 100 {
				memLat = append(memLat, roundTrip(b, ctx, mem, memC, nil))
			}
			for range 100 {
				durLat = append(durLat, roundTrip(b, ctx, dur, durC, nil))
			}
			for range 100 {
				comLat = append(comLat, roundTrip(b, ctx, com, comC, nil))
			}
		}
		memEPS := concurrent / throughput(b, ctx, mem, memC, nil).Seconds()
		durEPS := concurrent / throughput(b, ctx, dur, durC, nil).Seconds()
		comEPS := concurrent / throughput(b, ctx, com, comC, nil).Seconds()
		if b.Failed() {
			return
		}
		memP50, _ := percentiles(memLat)
		p50, p99 := percentiles(durLat)
		comP50, comP99 := percentiles(comLat)
		b.ReportMetric(p50, "p50_ms")
		b.ReportMetric(durEPS, "executions/s")
		fmt.Printf("roundtrip_durable_p50_ms=%.3f roundtrip_durable_p99_ms=%.3f roundtrip_durable_throughput_eps=%.0f "+
			"roundtrip_durable_p50_ratio=%.2f roundtrip_durable_eps_ratio=%.2f (in memory beside it: p50 %.3f ms, %.0f executions/s)\n",
			p50, p99, durEPS, p50/memP50, durEPS/memEPS, memP50, memEPS)
		fmt.Printf("roundtrip_durable_sync_commit_p50_ms=%.3f roundtrip_durable_sync_commit_p99_ms=%.3f roundtrip_durable_sync_commit_throughput_eps=%.0f "+
			"roundtrip_durable_sync_commit_p50_ratio=%.2f roundtrip_durable_sync_commit_eps_ratio=%.2f\n",
			comP50, comP99, comEPS, comP50/memP50, comEPS/memEPS)
	}
}

// percentiles returns the p50 and p99 of lat, in milliseconds.
func percentiles(lat []time.Duration) (p50, p99 float64) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	return ms(lat[len(lat)/2]), ms(lat[len(lat)*99/100])
}

// BenchmarkRoundTripProcessLambdas is BenchmarkRoundTrip with the
// template's Lambdas run as the bootstrap executables deployed to AWS,
// under the Lambda Runtime API (--lambda-mode process), beside the
// in-process figure.
func BenchmarkRoundTripProcessLambdas(b *testing.B) {
	roundTripBench(b, "roundtrip_process", emulatortest.WithTemplate(emulatortest.BootstrapTemplate(b, "..")),
		emulatortest.WithLambdaMode(emulator.LambdaProcess))
}

// roundTripBench measures the sample's round trip on an emulator made
// with opts, and prints its figures prefixed with name.
func roundTripBench(b *testing.B, name string, opts ...emulatortest.Option) {
	srv, c := sampleEmulator(b, opts...)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		lat := make([]time.Duration, sequential)
		for i := range lat {
			lat[i] = roundTrip(b, ctx, srv, c, nil)
		}
		if b.Failed() {
			return
		}
		p50, p99 := percentiles(lat)
		eps := concurrent / throughput(b, ctx, srv, c, nil).Seconds()
		b.ReportMetric(p50, "p50_ms")
		b.ReportMetric(p99, "p99_ms")
		b.ReportMetric(eps, "executions/s")
		fmt.Printf("%s_p50_ms=%.3f %s_p99_ms=%.3f %s_throughput_eps=%.0f\n", name, p50, name, p99, name, eps)
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// sampleEmulator starts an emulator made with opts with the sample's
// worker, and warms up its connections and caches with 100 round trips.
func sampleEmulator(b *testing.B, opts ...emulatortest.Option) (*emulatortest.Server, *sfn.Client) {
	srv := emulatortest.New(b, opts...)
	srv.StartWorker(worker.Config{ClientID: "mqtt-container-client", SubscribeTopic: "tenant1/to/worker",
		SubmitTopic: "tenant1/to/lambda"}, "OnPremContainer", worker.DefaultHandler())
	c := sfn.NewFromConfig(srv.AWSConfig())
	for i := 0; i < 100; i++ {
		roundTrip(b, context.Background(), srv, c, nil)
	}
	return srv, c
}

// roundTrip runs one execution to its end, telling started (if set) its
// ARN once it has started. It may run on any goroutine, so it reports
// failures with b.Error.
func roundTrip(b *testing.B, ctx context.Context, srv *emulatortest.Server, c *sfn.Client, started func(arn string)) time.Duration {
	start := time.Now()
	out, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(machineArn), Input: aws.String(`{"a":15,"b":42}`)})
	if err != nil {
		b.Error(err)
		return 0
	}
	if started != nil {
		started(aws.ToString(out.ExecutionArn))
	}
	status, err := srv.SFN.WaitExecution(ctx, aws.ToString(out.ExecutionArn))
	if err != nil || status != "SUCCEEDED" {
		b.Errorf("execution %s: %s %v", aws.ToString(out.ExecutionArn), status, err)
	}
	return time.Since(start)
}

// throughput runs concurrent executions, concurrency at a time, and
// returns how long they took; started is roundTrip's.
func throughput(b *testing.B, ctx context.Context, srv *emulatortest.Server, c *sfn.Client, started func(arn string)) time.Duration {
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= concurrent && !b.Failed() {
				roundTrip(b, ctx, srv, c, started)
			}
		}()
	}
	wg.Wait()
	return time.Since(start)
}
