package bench

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepwire/stepwire/emulator/emulatortest"
)

// The soak's knobs: `make soak` runs each phase for a minute with 16
// clients; `make bench` runs it briefly.
var (
	soakFor     = flag.Duration("soak", 5*time.Second, "how long each load phase of BenchmarkSoak runs")
	soakClients = flag.Int("soak-clients", 16, "concurrent clients of BenchmarkSoak")
	soakAfter   = flag.Duration("soak-after", 2*time.Second, "how long BenchmarkSoak watches memory after DeleteStateMachine")
)

const soakPass = `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"ok":true},"ResultPath":"$.r","End":true}}}`

// BenchmarkSoak loads an in-process emulator through the AWS SDK over HTTP
// and samples the process's resident memory every 5 s: first StartExecution
// + DescribeExecution of a Standard Pass machine, then StartExecution of an
// Express one, from -soak-clients clients for -soak each; then it deletes
// both machines and watches memory for -soak-after. Finished executions
// must be freed (retention), so memory stays flat under load and falls
// once the machines are gone.
func BenchmarkSoak(b *testing.B) {
	for b.Loop() {
		srv := emulatortest.New(b)
		c := sfn.NewFromConfig(srv.AWSConfig())
		s := &soak{b: b, c: c, begin: time.Now()}
		s.sample("start", 0)
		std := s.create("SoakStandard", types.StateMachineTypeStandard)
		exp := s.create("SoakExpress", types.StateMachineTypeExpress)
		stdRSS := s.load("standard", std, true)
		expRSS := s.load("express", exp, false)
		for _, arn := range []*string{std, exp} {
			if _, err := c.DeleteStateMachine(context.Background(), &sfn.DeleteStateMachineInput{StateMachineArn: arn}); err != nil {
				b.Fatal(err)
			}
		}
		after := s.watch(*soakAfter)
		debug.FreeOSMemory()
		freed := rssMB()
		s.sample("after FreeOSMemory", 0)
		fmt.Printf("soak_standard %s\nsoak_express %s\nsoak_after_delete_rss_mb=%.0f soak_after_free_os_memory_rss_mb=%.0f\n",
			stdRSS, expRSS, after, freed)
	}
}

// soak is one run of BenchmarkSoak.
type soak struct {
	b     *testing.B
	c     *sfn.Client
	begin time.Time
}

func (s *soak) create(name string, typ types.StateMachineType) *string {
	out, err := s.c.CreateStateMachine(context.Background(), &sfn.CreateStateMachineInput{Name: aws.String(name),
		Definition: aws.String(soakPass), RoleArn: aws.String("arn:aws:iam::123456789012:role/soak"), Type: typ})
	if err != nil {
		s.b.Fatal(err)
	}
	return out.StateMachineArn
}

// phaseResult is what one load phase measured.
type phaseResult struct {
	executions     int64
	rate           float64
	maxRSS         float64
	lastLo, lastHi float64 // RSS range over the phase's last 30 s (or last half)
}

func (r phaseResult) String() string {
	return fmt.Sprintf("executions=%d executions_per_s=%.0f rss_max_mb=%.0f rss_last_window_mb=%.0f..%.0f",
		r.executions, r.rate, r.maxRSS, r.lastLo, r.lastHi)
}

// load runs the clients against sm for -soak, sampling memory every 5 s
// (every second for short runs).
func (s *soak) load(phase string, sm *string, describe bool) phaseResult {
	ctx, cancel := context.WithTimeout(context.Background(), *soakFor)
	defer cancel()
	var n atomic.Int64
	var wg sync.WaitGroup
	for range *soakClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.client(ctx, sm, describe, &n)
		}()
	}
	var res phaseResult
	var samples []float64
	every := sampleEvery()
	t := time.NewTicker(every)
	defer t.Stop()
	start := time.Now()
	for done := false; !done; {
		select {
		case <-t.C:
		case <-ctx.Done():
			done = true
		}
		samples = append(samples, s.sample(phase, n.Load()))
	}
	wg.Wait()
	res.executions, res.rate = n.Load(), float64(n.Load())/time.Since(start).Seconds()
	_, res.maxRSS = minMax(samples)
	window := int(min(30*time.Second, *soakFor/2) / every)
	if len(samples) > window {
		samples = samples[len(samples)-window:]
	}
	res.lastLo, res.lastHi = minMax(samples)
	return res
}

// minMax returns the least and the greatest of v.
func minMax(v []float64) (lo, hi float64) {
	if len(v) == 0 {
		return 0, 0
	}
	lo, hi = v[0], v[0]
	for _, x := range v {
		lo, hi = min(lo, x), max(hi, x)
	}
	return lo, hi
}

// client starts executions until ctx ends, describing each when asked.
func (s *soak) client(ctx context.Context, sm *string, describe bool, n *atomic.Int64) {
	for ctx.Err() == nil {
		out, err := s.c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm, Input: aws.String(`{"n":1}`)})
		if err == nil && describe {
			_, err = s.c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: out.ExecutionArn})
		}
		if err != nil {
			if ctx.Err() == nil && !errors.Is(err, context.DeadlineExceeded) {
				s.b.Error(err)
			}
			return
		}
		n.Add(1)
	}
}

// watch samples memory for d after the machines were deleted and returns
// the last resident size.
func (s *soak) watch(d time.Duration) float64 {
	deadline := time.Now().Add(d)
	last := s.sample("deleted", 0)
	for time.Now().Before(deadline) {
		time.Sleep(min(sampleEvery(), time.Until(deadline))) // a sampling interval, not synchronisation
		last = s.sample("deleted", 0)
	}
	return last
}

func sampleEvery() time.Duration {
	if *soakFor < 20*time.Second {
		return time.Second
	}
	return 5 * time.Second
}

// sample prints one memory sample and returns the resident size in MB.
func (s *soak) sample(phase string, executions int64) float64 {
	rss := rssMB()
	fmt.Printf("soak t=%3.0fs phase=%-18s executions=%-8d rss_mb=%6.0f go_heap_mb=%6.0f\n",
		time.Since(s.begin).Seconds(), phase, executions, rss, heapMB())
	return rss
}

// rssMB is the process's resident set size (VmRSS), or the Go runtime's
// mapped memory where /proc is not available.
func rssMB() float64 {
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
				if kb, err := strconv.ParseFloat(f[1], 64); err == nil {
					return kb / 1024
				}
			}
		}
	}
	return readMetric("/memory/classes/total:bytes") / (1 << 20)
}

// heapMB is the memory held by live and unswept Go objects.
func heapMB() float64 { return readMetric("/memory/classes/heap/objects:bytes") / (1 << 20) }

func readMetric(name string) float64 {
	s := []metrics.Sample{{Name: name}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return float64(s[0].Value.Uint64())
}
