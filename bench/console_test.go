package bench

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stepwire/stepwire/emulator/emulatortest"
)

const (
	consoleRounds  = 3 // each round runs once without and once with clients, in alternating order
	consoleClients = 10
)

// BenchmarkConsoleLive measures what the console's live updates cost the
// emulator: the sample round trip's throughput with 64 executions in
// flight, without any console client and with consoleClients live-update
// streams (server-sent events) open on the executions lists, the machines
// page, the MQTT messages page and the execution pages of the newest
// executions. The two runs alternate, consoleRounds times, to spread the
// machine's noise over both. It prints
// console_live_eps_without=… console_live_eps_with=… console_live_ratio=…
// (with/without) console_live_updates=… (the "change" events the clients
// received) console_live_updates_per_s=….
func BenchmarkConsoleLive(b *testing.B) {
	srv, c := sampleEmulator(b, emulatortest.WithTemplate("../template.yaml"))
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		var without, with time.Duration
		var updates int64
		for round := 0; round < consoleRounds; round++ {
			for _, live := range []bool{round%2 == 1, round%2 == 0} {
				if !live {
					without += throughput(b, ctx, srv, c, nil)
					continue
				}
				w := newWatchers(b, srv)
				with += throughput(b, ctx, srv, c, func(arn string) { w.latest.Store(&arn) })
				updates += w.stop()
			}
			if b.Failed() {
				return
			}
		}
		n := float64(consoleRounds * concurrent)
		epsWithout, epsWith := n/without.Seconds(), n/with.Seconds()
		ratio := epsWith / epsWithout
		b.ReportMetric(epsWithout, "eps_without")
		b.ReportMetric(epsWith, "eps_with")
		b.ReportMetric(ratio, "ratio")
		b.ReportMetric(float64(updates), "updates")
		fmt.Printf("console_live_eps_without=%.0f console_live_eps_with=%.0f console_live_ratio=%.3f console_live_updates=%d console_live_updates_per_s=%.1f console_live_clients=%d\n",
			epsWithout, epsWith, ratio, updates, float64(updates)/with.Seconds(), consoleClients)
	}
}

// watchers are console clients holding live-update streams open, as
// browsers showing console pages do, counting the "change" events.
type watchers struct {
	b       *testing.B
	base    string
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	updates atomic.Int64
	latest  atomic.Pointer[string] // the newest execution started
}

func newWatchers(b *testing.B, srv *emulatortest.Server) *watchers {
	ctx, cancel := context.WithCancel(context.Background())
	w := &watchers{b: b, base: strings.TrimSuffix(srv.Endpoints().HTTP, "/"), cancel: cancel}
	list := "/console/executions?machine=" + url.QueryEscape(machineArn)
	fixed := []string{list, list + "&status=RUNNING", "/console/", "/console/iot/messages"}
	for i := 0; i < consoleClients; i++ {
		w.wg.Add(1)
		if i < len(fixed) {
			go w.watch(ctx, func() string { return fixed[i] }, 0)
			continue
		}
		// An execution page follows the newest execution, as someone
		// clicking through the list would: a new one every second.
		go w.watch(ctx, func() string {
			if arn := w.latest.Load(); arn != nil {
				return "/console/execution?arn=" + url.QueryEscape(*arn)
			}
			return list
		}, time.Second)
	}
	return w
}

// watch reads the stream of the page page() names until ctx ends,
// reconnecting after each for (when not zero) or when the stream ends.
func (w *watchers) watch(ctx context.Context, page func() string, each time.Duration) {
	defer w.wg.Done()
	for ctx.Err() == nil {
		sctx, cancel := ctx, context.CancelFunc(func() {})
		if each > 0 {
			sctx, cancel = context.WithTimeout(ctx, each)
		}
		w.read(sctx, page())
		cancel()
	}
}

func (w *watchers) read(ctx context.Context, page string) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, w.base+"/console/events?watch="+url.QueryEscape(page), nil)
	if err != nil {
		w.b.Error(err)
		return
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		if ctx.Err() == nil {
			w.b.Error(err)
		}
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		w.b.Errorf("console events for %s: %s", page, resp.Status)
		return
	}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if sc.Text() == "event: change" {
			w.updates.Add(1)
		}
	}
}

// stop closes the streams and returns the number of updates received.
func (w *watchers) stop() int64 {
	w.cancel()
	w.wg.Wait()
	return w.updates.Load()
}
