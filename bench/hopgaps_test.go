package bench

import (
	"context"
	"log/slog"
	"os"
	"sort"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/internal/hop"
	"github.com/stepwire/stepwire/worker"
)

// hopRec is one hop record: when it was logged and its hop.
type hopRec struct {
	t    time.Time
	name string
}

// hopHandler records the hop records (internal/hop) of the emulator, the
// Lambdas and the worker, with the time they were logged.
type hopHandler struct {
	mu   sync.Mutex
	recs []hopRec
}

func (h *hopHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *hopHandler) Handle(_ context.Context, r slog.Record) error {
	if r.Message != hop.Message {
		return nil
	}
	var name string
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == hop.Key {
			name = a.Value.String()
			return false
		}
		return true
	})
	now := time.Now()
	h.mu.Lock()
	h.recs = append(h.recs, hopRec{now, name})
	h.mu.Unlock()
	return nil
}
func (h *hopHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *hopHandler) WithGroup(string) slog.Handler      { return h }

// TestHopGaps prints, for 1,000 sequential round trips of the sample (as
// BenchmarkRoundTrip's sequential part runs them, after 100 to warm up),
// the p50, p90 and p99 of the time between consecutive hop records, from
// the test's StartExecution call to WaitExecution's return, and the
// process's CPU time per execution (getrusage). Hop records are logged, so
// the figures include building them. It runs only with STEPWIRE_HOPS=1:
//
//	STEPWIRE_HOPS=1 go test -run TestHopGaps -v ./bench/
func TestHopGaps(t *testing.T) {
	if os.Getenv("STEPWIRE_HOPS") == "" {
		t.Skip("set STEPWIRE_HOPS=1 to measure the gaps between hops")
	}
	h := &hopHandler{}
	lg := slog.New(h)
	srv := emulatortest.New(t, emulatortest.WithTemplate("../template.yaml"), emulatortest.WithLogger(lg))
	cfg := worker.Config{ClientID: "mqtt-container-client", SubscribeTopic: "tenant1/to/worker", SubmitTopic: "tenant1/to/lambda",
		Endpoint: srv.Endpoints().MQTT}
	cfg.TLSConfig = srv.ClientTLS(cfg.ClientID, "OnPremContainer")
	w, err := worker.New(cfg, worker.DefaultHandler(), lg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("worker: %v", err)
		}
	}()
	select {
	case <-w.Ready():
	case err := <-done:
		t.Fatalf("worker stopped: %v", err)
	}
	c := sfn.NewFromConfig(srv.AWSConfig())
	one := func() (time.Time, time.Duration) {
		start := time.Now()
		out, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(machineArn), Input: aws.String(`{"a":15,"b":42}`)})
		if err != nil {
			t.Fatal(err)
		}
		if st, err := srv.SFN.WaitExecution(ctx, aws.ToString(out.ExecutionArn)); err != nil || st != "SUCCEEDED" {
			t.Fatal(st, err)
		}
		return start, time.Since(start)
	}
	for i := 0; i < 100; i++ {
		one()
	}
	n := 1000
	type run struct {
		start time.Time
		end   time.Time
		recs  []hopRec
	}
	runs := make([]run, n)
	var ru0, ru1 syscall.Rusage
	syscall.Getrusage(0, &ru0)
	w0 := time.Now()
	for i := range runs {
		h.mu.Lock()
		h.recs = h.recs[:0]
		h.mu.Unlock()
		s, d := one()
		h.mu.Lock()
		runs[i] = run{s, s.Add(d), append([]hopRec(nil), h.recs...)}
		h.mu.Unlock()
	}
	syscall.Getrusage(0, &ru1)
	cpu := time.Duration(ru1.Utime.Nano() + ru1.Stime.Nano() - ru0.Utime.Nano() - ru0.Stime.Nano())
	t.Logf("wall/exec=%.1fus cpu/exec=%.1fus (user %.1f sys %.1f)", us(time.Since(w0))/float64(n), us(cpu)/float64(n),
		float64(ru1.Utime.Nano()-ru0.Utime.Nano())/1e3/float64(n), float64(ru1.Stime.Nano()-ru0.Stime.Nano())/1e3/float64(n))
	// The gaps, by pair of consecutive hops.
	gaps := map[string][]time.Duration{}
	var order []string
	tot := []time.Duration{}
	for _, r := range runs {
		prev, pn := r.start, "client-start"
		for _, x := range r.recs {
			k := pn + " -> " + x.name
			if _, ok := gaps[k]; !ok {
				order = append(order, k)
			}
			gaps[k] = append(gaps[k], x.t.Sub(prev))
			prev, pn = x.t, x.name
		}
		k := pn + " -> client-end"
		if _, ok := gaps[k]; !ok {
			order = append(order, k)
		}
		gaps[k] = append(gaps[k], r.end.Sub(prev))
		tot = append(tot, r.end.Sub(r.start))
	}
	q := func(d []time.Duration, p float64) time.Duration {
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		return d[int(float64(len(d)-1)*p)]
	}
	for _, k := range order {
		d := gaps[k]
		t.Logf("%-45s n=%4d p50=%7.1fus p90=%7.1fus p99=%7.1fus", k, len(d), us(q(d, .5)), us(q(d, .9)), us(q(d, .99)))
	}
	t.Logf("total p50=%.1fus p99=%.1fus", us(q(tot, .5)), us(q(tot, .99)))
}

func us(d time.Duration) float64 { return float64(d) / 1e3 }
