package bench

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iotdataplane"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/eclipse/paho.golang/paho"
	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/stepwire/stepwire/emulator/awsapi"
)

// BenchmarkRoundTripFloor measures the libraries of the round trip with
// stepwire taken out: what the same hops cost when every service answers
// at once. A net/http server answers StartExecution by publishing the job
// through an iotdataplane client (over a socketless transport, as the
// emulator's in-process Lambdas do) to bare mochi over mTLS; a paho client
// receives it at QoS 1 and publishes a result, which a mochi hook hands
// to an sfn client's SendTaskSuccess, which ends the waiting caller. The
// same three AWS SDK calls, two mTLS MQTT messages and HTTP exchanges as
// BenchmarkRoundTrip; none of its interpreter, policies, rules, events,
// Lambda service or worker. It prints the figures BenchmarkRoundTrip
// prints, prefixed roundtrip_floor, and stepwire's share: what the
// emulator adds is the difference.
func BenchmarkRoundTripFloor(b *testing.B) {
	f := startFloor(b)
	ctx := context.Background()
	for range 100 {
		f.roundTrip(b, ctx)
	}
	b.ResetTimer()
	for b.Loop() {
		lat := make([]time.Duration, sequential)
		for i := range lat {
			lat[i] = f.roundTrip(b, ctx)
		}
		p50, p99 := percentiles(lat)
		var next atomic.Int64
		var wg sync.WaitGroup
		start := time.Now()
		for range concurrency {
			wg.Go(func() {
				for next.Add(1) <= concurrent && !b.Failed() {
					f.roundTrip(b, ctx)
				}
			})
		}
		wg.Wait()
		eps := concurrent / time.Since(start).Seconds()
		b.ReportMetric(p50, "p50_ms")
		b.ReportMetric(eps, "executions/s")
		fmt.Printf("roundtrip_floor_p50_ms=%.3f roundtrip_floor_p99_ms=%.3f roundtrip_floor_throughput_eps=%.0f\n", p50, p99, eps)
	}
}

// floorToken stands in for a task token: as long as the emulator's.
var floorToken = strings.Repeat("AAAAKgAAAAIAAAAAAAAAAQ", 20)

// floor is the round trip's libraries wired together with nothing between.
type floor struct {
	b       *testing.B
	client  *sfn.Client
	next    atomic.Int64
	mu      sync.Mutex
	waiting map[string]chan struct{}
}

func startFloor(b *testing.B) *floor {
	f := &floor{b: b, waiting: map[string]chan struct{}{}}
	broker, addr, clientTLS := floorBroker(b)
	callbacks := sfn.NewFromConfig(socketless(http.HandlerFunc(f.serveCallback)))
	pub := iotdataplane.NewFromConfig(socketless(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := broker.Publish(strings.TrimPrefix(r.URL.Path, "/topics/"), body, false, 1); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("{}"))
	})))
	if err := broker.AddHook(&floorResults{sfn: callbacks, b: b}, nil); err != nil {
		b.Fatal(err)
	}
	f.startWorker(b, addr, clientTLS)
	url := serveLoopback(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.serveStart(w, r, pub)
	}))
	f.client = sfn.NewFromConfig(overHTTP(url))
	return f
}

// benchCredentials sign the floor's and the library costs' requests.
var benchCredentials = credentials.NewStaticCredentialsProvider("AKIDBENCH", "bench-secret", "")

// overHTTP is the configuration of an AWS SDK client of the service at url.
func overHTTP(url string) aws.Config {
	return aws.Config{Region: "us-east-1", Credentials: benchCredentials, BaseEndpoint: aws.String(url)}
}

// socketless is the configuration of an AWS SDK client served by h in the
// caller's goroutine, as the emulator's in-process Lambdas reach it.
func socketless(h http.Handler) aws.Config {
	cfg := overHTTP("http://stepwire.local")
	cfg.HTTPClient = &http.Client{Transport: awsapi.LocalTransport{Handler: h}}
	return cfg
}

// serveLoopback serves h on a loopback port until the benchmark ends and
// returns its URL.
func serveLoopback(b *testing.B, h http.Handler) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go func() { _ = srv.Serve(l) }()
	b.Cleanup(func() { _ = srv.Close() })
	return "http://" + l.Addr().String()
}

// floorBroker starts bare mochi with an inline client, for the data
// plane's publishes, and returns the TLS configuration of one client.
func floorBroker(b *testing.B) (*mqtt.Server, string, *tls.Config) {
	srv, addr, clients := bareMochi(b, "floor", true)
	return srv, addr, clients(0)
}

// startWorker connects a paho client that answers each job on floor/jobs
// with a result on floor/results, from a goroutine of its own as
// stepwire's worker runs jobs.
func (f *floor) startWorker(b *testing.B, addr string, cfg *tls.Config) {
	var c *paho.Client
	ready := make(chan struct{})
	onJob := func(p paho.PublishReceived) (bool, error) {
		payload := p.Packet.Payload
		go func() {
			<-ready
			var job struct{ TaskToken string }
			if err := json.Unmarshal(payload, &job); err != nil {
				b.Error(err)
				return
			}
			out, _ := json.Marshal(map[string]any{"TaskToken": job.TaskToken, "Status": "SUCCEEDED", "Output": map[string]int{"result": 57}})
			if _, err := c.Publish(context.Background(), &paho.Publish{Topic: "floor/results", QoS: 1, Payload: out}); err != nil {
				b.Error(err)
			}
		}()
		return true, nil
	}
	c, err := brokerDial(context.Background(), &brokerTarget{addr: addr, client: func(int) *tls.Config { return cfg }}, 0, nil)
	if err != nil {
		b.Fatal(err)
	}
	c.AddOnPublishReceived(onJob)
	if _, err := c.Subscribe(context.Background(), &paho.Subscribe{Subscriptions: []paho.SubscribeOptions{{Topic: "floor/jobs", QoS: 1}}}); err != nil {
		b.Fatal(err)
	}
	close(ready)
	b.Cleanup(func() { _ = c.Disconnect(&paho.Disconnect{}) })
}

// serveStart answers StartExecution and publishes its job, as the
// dispatch Lambda does once the execution reaches its task.
func (f *floor) serveStart(w http.ResponseWriter, r *http.Request, pub *iotdataplane.Client) {
	var in struct{ StateMachineArn, Input string }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	id := strconv.FormatInt(f.next.Add(1), 10)
	done := make(chan struct{})
	f.mu.Lock()
	f.waiting[id] = done
	f.mu.Unlock()
	go func() {
		job, _ := json.Marshal(map[string]any{"Input": json.RawMessage(in.Input), "TaskToken": id + ":" + floorToken})
		if _, err := pub.Publish(context.Background(), &iotdataplane.PublishInput{Topic: aws.String("floor/jobs"), Qos: 1, Payload: job}); err != nil {
			f.b.Error(err)
		}
	}()
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	_ = json.NewEncoder(w).Encode(map[string]any{"executionArn": in.StateMachineArn + ":" + id, "startDate": float64(time.Now().UnixMilli()) / 1e3})
}

// serveCallback answers SendTaskSuccess and ends the execution its token
// names.
func (f *floor) serveCallback(w http.ResponseWriter, r *http.Request) {
	var in struct{ TaskToken, Output string }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	id, _, _ := strings.Cut(in.TaskToken, ":")
	f.mu.Lock()
	done := f.waiting[id]
	delete(f.waiting, id)
	f.mu.Unlock()
	if done != nil {
		close(done)
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	_, _ = w.Write([]byte("{}"))
}

// roundTrip starts one execution and waits for its end.
func (f *floor) roundTrip(b *testing.B, ctx context.Context) time.Duration {
	start := time.Now()
	out, err := f.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(machineArn), Input: aws.String(`{"a":15,"b":42}`)})
	if err != nil {
		b.Error(err)
		return 0
	}
	_, id, _ := strings.Cut(strings.TrimPrefix(aws.ToString(out.ExecutionArn), machineArn), ":")
	f.mu.Lock()
	done := f.waiting[id]
	f.mu.Unlock()
	if done != nil {
		<-done
	}
	return time.Since(start)
}

// floorResults hands each result to SendTaskSuccess, as the topic rule
// and the complete Lambda do.
type floorResults struct {
	mqtt.HookBase
	sfn *sfn.Client
	b   *testing.B
}

func (*floorResults) ID() string { return "floor-results" }

func (*floorResults) Provides(b byte) bool { return b == mqtt.OnPublished }

func (h *floorResults) OnPublished(_ *mqtt.Client, pk packets.Packet) {
	if pk.TopicName != "floor/results" {
		return
	}
	payload := pk.Payload
	go func() {
		var res struct {
			TaskToken string
			Output    json.RawMessage
		}
		if err := json.Unmarshal(payload, &res); err != nil {
			h.b.Error(err)
			return
		}
		if _, err := h.sfn.SendTaskSuccess(context.Background(), &sfn.SendTaskSuccessInput{TaskToken: aws.String(res.TaskToken), Output: aws.String(string(res.Output))}); err != nil {
			h.b.Error(err)
		}
	}()
}
