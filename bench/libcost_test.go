package bench

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iotdataplane"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/eclipse/paho.golang/paho"
)

// libraryOps is how many operations each library cost is measured over,
// libraryPar of them at a time (the round trip's 64 in flight).
const (
	libraryOps = 20000
	libraryPar = concurrency
)

// BenchmarkLibraryCosts measures the CPU time (user and system, the whole
// process: its collector included) that each library of the round trip
// costs per operation, with libraryPar operations in flight and every
// service answering at once:
//   - an sfn client's StartExecution over HTTP to a net/http server;
//   - an sfn SendTaskSuccess and an iotdataplane Publish over the
//     socketless transport of the emulator's in-process Lambdas;
//   - a QoS 1 message from mochi's inline client to a paho subscriber over
//     mTLS, as a published job reaches the worker;
//   - a QoS 1 message from a paho client through mochi to a paho
//     subscriber over mTLS, as the worker's result reaches the rule.
//
// One round trip takes each once. Their sum is the CPU an execution costs
// before any of stepwire's own work, and 2 s over it the executions/s
// two cores could give at most (docs/performance.md, "The libraries'
// floor").
func BenchmarkLibraryCosts(b *testing.B) {
	for b.Loop() {
		start, success, publish := sdkCosts(b)
		inline, relayed := mqttCosts(b)
		sum := start + success + publish + inline + relayed
		fmt.Printf("library_sdk_start_tcp_cpu_us=%.1f library_sdk_success_local_cpu_us=%.1f library_sdk_publish_local_cpu_us=%.1f "+
			"library_mqtt_inline_msg_cpu_us=%.1f library_mqtt_relayed_msg_cpu_us=%.1f library_floor_cpu_us=%.1f library_floor_2cores_eps=%.0f\n",
			start, success, publish, inline, relayed, sum, 2e6/sum)
	}
}

// cpuTime is the process's CPU time so far, user and system.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cpuPerOp runs op libraryOps times, libraryPar at a time, after a warm-up,
// and returns the process's CPU time per op in µs, up to when settle
// (if set) returns.
func cpuPerOp(b *testing.B, op func() error, settle func()) float64 {
	for range 200 {
		if err := op(); err != nil {
			b.Fatal(err)
		}
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	before := cpuTime(b)
	for range libraryPar {
		wg.Go(func() {
			for next.Add(1) <= libraryOps {
				if err := op(); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if settle != nil {
		settle()
	}
	return float64((cpuTime(b) - before).Microseconds()) / libraryOps
}

// sdkCosts measures the round trip's three AWS SDK calls against a
// handler that answers at once.
func sdkCosts(b *testing.B) (start, success, publish float64) {
	answer := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		_, _ = w.Write([]byte(`{"executionArn":"` + machineArn + `:0123456789abcdef","startDate":1.7e9}`))
	})
	remote := sfn.NewFromConfig(overHTTP(serveLoopback(b, answer)))
	local := socketless(answer)
	callbacks, pub := sfn.NewFromConfig(local), iotdataplane.NewFromConfig(local)
	ctx := context.Background()
	start = cpuPerOp(b, func() error {
		_, err := remote.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(machineArn), Input: aws.String(`{"a":15,"b":42}`)})
		return err
	}, nil)
	success = cpuPerOp(b, func() error {
		_, err := callbacks.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(floorToken), Output: aws.String(`{"result":57}`)})
		return err
	}, nil)
	publish = cpuPerOp(b, func() error {
		_, err := pub.Publish(ctx, &iotdataplane.PublishInput{Topic: aws.String("tenant1/to/worker"), Qos: 1, Payload: floorJob})
		return err
	}, nil)
	return start, success, publish
}

// floorJob is a job message of the sample's size.
var floorJob = []byte(`{"Input":{"a":15,"b":42},"TaskToken":"` + floorToken + `"}`)

// mqttCosts measures a QoS 1 message over mTLS through bare mochi to a
// paho subscriber, published by mochi's inline client and by a second
// paho client. At most libraryPar messages are on their way at a time: a
// message takes a slot when sent and frees it when received.
func mqttCosts(b *testing.B) (inline, relayed float64) {
	broker, addr, cfg := floorBroker(b)
	ctx := context.Background()
	target := &brokerTarget{addr: addr, client: func(int) *tls.Config { return cfg }}
	slots := make(chan struct{}, libraryPar)
	sub, err := brokerDial(ctx, target, 0, func() { <-slots })
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = sub.Disconnect(&paho.Disconnect{}) }()
	if _, err := sub.Subscribe(ctx, &paho.Subscribe{Subscriptions: []paho.SubscribeOptions{{Topic: "floor/#", QoS: 1}}}); err != nil {
		b.Fatal(err)
	}
	pub, err := brokerDial(ctx, target, 1, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = pub.Disconnect(&paho.Disconnect{}) }()
	settle := func() { // every slot free: every message received
		for range libraryPar {
			slots <- struct{}{}
		}
		for range libraryPar {
			<-slots
		}
	}
	measure := func(send func() error) float64 {
		return cpuPerOp(b, func() error {
			slots <- struct{}{}
			return send()
		}, settle)
	}
	inline = measure(func() error { return broker.Publish("floor/jobs", floorJob, false, 1) })
	relayed = measure(func() error {
		_, err := pub.Publish(ctx, &paho.Publish{Topic: "floor/results", QoS: 1, Payload: floorJob})
		return err
	})
	return inline, relayed
}
