package bench

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iotdataplane"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/emulator/lambdaemu"
	"github.com/stepwire/stepwire/lambdas/dispatch"
)

// The load BenchmarkFlatCost puts on the emulator between its two
// measurements of the round trip.
const (
	flatWorkers = 1000
	flatWaiting = 10000
	flatSamples = 1000 // sequential round trips per p50
	// flatWarmup round trips run unmeasured before each p50. The loaded
	// p50 follows settledMemory, whose FreeOSMemory hands every free page
	// of the heap back to the OS: the round trips after it fault those
	// pages in again, about twice a round trip's usual page faults, until
	// the heap has grown back to its goal (some 600 round trips), which an
	// emulator in use does not pay.
	flatWarmup    = 1000
	flatStarters  = 16 // clients starting the waiting executions
	flatUnclaimed = "flat/unclaimed/jobs"
)

// flatHeapProfile, when set, is where BenchmarkFlatCost writes a heap
// profile once the waiting executions have started (the test binary's
// -memprofile comes after the emulator has closed), and its path+".before"
// the profile before they start: compare them with
// go tool pprof -diff_base path.before bench.test path.
var flatHeapProfile = flag.String("flatcost-heapprofile", "", "heap profile file written by BenchmarkFlatCost with the executions waiting")

// flatPolicy is one IoT policy for every fleet worker, scoped to the thing
// each connects as with policy variables, as a fleet's policy is.
const flatPolicy = `{"Version":"2012-10-17","Statement":[
{"Effect":"Allow","Action":"iot:Connect","Resource":"arn:aws:iot:us-east-1:123456789012:client/${iot:Connection.Thing.ThingName}"},
{"Effect":"Allow","Action":"iot:Subscribe","Resource":[
 "arn:aws:iot:us-east-1:123456789012:topicfilter/flat/${iot:Connection.Thing.ThingName}/jobs",
 "arn:aws:iot:us-east-1:123456789012:topicfilter/flat/${iot:Connection.Thing.ThingName}/jobs/control"]},
{"Effect":"Allow","Action":"iot:Receive","Resource":[
 "arn:aws:iot:us-east-1:123456789012:topic/flat/${iot:Connection.Thing.ThingName}/jobs",
 "arn:aws:iot:us-east-1:123456789012:topic/flat/${iot:Connection.Thing.ThingName}/jobs/control"]},
{"Effect":"Allow","Action":["iot:Publish","iot:RetainPublish"],"Resource":[
 "arn:aws:iot:us-east-1:123456789012:topic/flat/${iot:Connection.Thing.ThingName}/results",
 "arn:aws:iot:us-east-1:123456789012:topic/flat/${iot:Connection.Thing.ThingName}/results/progress/*"]}]}`

// BenchmarkFlatCost measures whether the round trip's cost stays flat as
// work piles up (issue 15, item 3). On the sample emulator it measures
// the round trip's p50 (1 in flight) idle; then connects flatWorkers
// workers, each its own thing, certificate and client id under one policy
// with variables (in a process of their own: flatfleet_test.go), and
// starts flatWaiting executions of the sample's
// machine whose dispatch goes to a topic no worker handles, so each waits
// for its task token; then measures the p50 again. The memory of the
// waiting executions alone is the growth of the process's VmRSS, and of
// the Go heap in use, across starting them, each read after a GC that
// returns free memory to the OS.
func BenchmarkFlatCost(b *testing.B) {
	for b.Loop() {
		srv, c := sampleEmulator(b, emulatortest.WithTemplate("../template.yaml"),
			emulatortest.WithMaxConnections(2*flatWorkers))
		ctx := context.Background()
		idle := flatP50(b, ctx, srv, c)

		f0 := settledMemory()
		begin := time.Now()
		fleetCPU := startFleet(b, srv)
		fleet := time.Since(begin)

		m0 := settledMemory() // also the fleet's memory, since f0
		writeHeapProfile(b, *flatHeapProfile, ".before")
		begin = time.Now()
		startWaiting(b, ctx, srv, c)
		waiting := time.Since(begin)
		m1 := settledMemory()
		writeHeapProfile(b, *flatHeapProfile, "")

		loaded := flatP50(b, ctx, srv, c)
		if b.Failed() {
			return
		}
		ratio := loaded / idle
		b.ReportMetric(idle, "idle_p50_ms")
		b.ReportMetric(loaded, "loaded_p50_ms")
		b.ReportMetric(m1.rss-m0.rss, "waiting_rss_mb")
		fmt.Printf("flatcost_idle_p50_ms=%.3f flatcost_loaded_p50_ms=%.3f flatcost_ratio=%.2f "+
			"flatcost_waiting_rss_mb=%.1f flatcost_waiting_heap_mb=%.1f flatcost_waiting_stacks_mb=%.1f "+
			"(executions=%d workers=%d goroutines=+%d; memory: VmRSS, Go heap objects and goroutine stacks "+
			"grown across starting the executions, each after GC and FreeOSMemory; connect %.1fs, start %.1fs)\n"+
			"flatcost_fleet_rss_mb=%.1f flatcost_fleet_heap_mb=%.1f flatcost_fleet_idle_cpu_pct=%.1f (workers=%d goroutines=+%d; "+
			"the emulator's side of the connections: grown across connecting the fleet, which runs in a process of its own; "+
			"the fleet's own CPU while idle, in %% of one core)\n",
			idle, loaded, ratio, m1.rss-m0.rss, m1.heap-m0.heap, m1.stacks-m0.stacks,
			flatWaiting, flatWorkers, m1.goroutines-m0.goroutines, fleet.Seconds(), waiting.Seconds(),
			m0.rss-f0.rss, m0.heap-f0.heap, fleetCPU, flatWorkers, m0.goroutines-f0.goroutines)
	}
}

// flatP50 is the p50 of flatSamples sequential round trips, in ms, after
// flatWarmup more.
func flatP50(b *testing.B, ctx context.Context, srv *emulatortest.Server, c *sfn.Client) float64 {
	for range flatWarmup {
		roundTrip(b, ctx, srv, c, nil)
	}
	lat := make([]time.Duration, flatSamples)
	for i := range lat {
		lat[i] = roundTrip(b, ctx, srv, c, nil)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	return ms(lat[len(lat)/2])
}

// startWaiting starts flatWaiting executions of the sample's machine with
// its dispatch Lambda publishing to a topic nobody subscribes to, and
// returns once every job has been published: each execution then waits
// for a task token that no worker will send.
func startWaiting(b *testing.B, ctx context.Context, srv *emulatortest.Server, c *sfn.Client) {
	b.Helper()
	var published atomic.Int64
	h := dispatch.New(iotdataplane.NewFromConfig(srv.AWSConfig()), flatUnclaimed, slog.New(slog.DiscardHandler))
	srv.Lambda.Register(lambdaemu.Function{Name: "FlatDispatch", Handler: countedDispatch{h: h, n: &published}})
	def, err := os.ReadFile("../statemachine/statemachine.asl.json")
	if err != nil {
		b.Fatal(err)
	}
	definition := strings.ReplaceAll(string(def), "${LambdaNotifierToWorkerArn}", srv.Lambda.ARN("FlatDispatch"))
	sm, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("FlatWaiting"),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/flat"), Definition: aws.String(definition)})
	if err != nil {
		b.Fatal(err)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range flatStarters {
		wg.Go(func() {
			for next.Add(1) <= flatWaiting && !b.Failed() {
				_, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn,
					Input: aws.String(`{"a":15,"b":42}`)})
				if err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	deadline := time.Now().Add(time.Minute)
	for published.Load() < flatWaiting && !b.Failed() {
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d jobs published within a minute", published.Load(), flatWaiting)
		}
		time.Sleep(10 * time.Millisecond) // polling the dispatches' ends
	}
}

// countedDispatch is the sample's dispatch Lambda, counting the jobs it
// has published.
type countedDispatch struct {
	h *dispatch.Handler
	n *atomic.Int64
}

func (d countedDispatch) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	resp, err := d.h.Handle(ctx, payload)
	if err != nil {
		return nil, err
	}
	d.n.Add(1)
	return json.Marshal(resp)
}

// memory is the process's memory at one moment, in MB.
type memory struct {
	rss, heap, stacks float64
	goroutines        int
}

// settledMemory lets the executions' last steps finish, collects garbage,
// returns free memory to the OS, and reads VmRSS, the Go heap's live and
// unswept objects and the goroutine stacks.
func settledMemory() memory {
	time.Sleep(500 * time.Millisecond)
	runtime.GC()
	debug.FreeOSMemory()
	return memory{rss: rssMB(), heap: heapMB(), stacks: readMetric("/memory/classes/heap/stacks:bytes") / (1 << 20),
		goroutines: runtime.NumGoroutine()}
}

// writeHeapProfile writes the heap profile to path+suffix, if path is set.
func writeHeapProfile(b *testing.B, path, suffix string) {
	if path == "" {
		return
	}
	f, err := os.Create(path + suffix)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		b.Fatal(err)
	}
}
