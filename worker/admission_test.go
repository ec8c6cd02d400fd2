package worker

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/stepwire/stepwire/internal/jobwire"
)

// With MaxConcurrent 2, five jobs all complete and never more than two run
// at once; the other three wait unacknowledged in the worker's line, and
// none is dropped.
func TestConcurrencyLimitIsRespected(t *testing.T) {
	var mu sync.Mutex
	runningNow, most := 0, 0
	release := make(chan struct{})
	h := HandlerFunc(func(ctx context.Context, job jobwire.Job) (json.RawMessage, error) {
		mu.Lock()
		runningNow++
		most = max(most, runningNow)
		mu.Unlock()
		defer func() {
			mu.Lock()
			runningNow--
			mu.Unlock()
		}()
		select {
		case <-release:
			return json.RawMessage(`"ok"`), nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	})
	b, w, _ := startWorkerLogged(t, h, discardLogger(), func(c *Config, _ *testBroker) { c.MaxConcurrent = 2 })
	results := b.subscribe(t, resultTopic)
	for i := range 5 {
		b.publish(t, jobTopic, fmt.Sprintf(`{"Input":{},"TaskToken":"tok-%d"}`, i))
	}
	waitFor(t, "two jobs running and three in line", func() bool {
		mu.Lock()
		running := runningNow
		mu.Unlock()
		w.mu.Lock()
		inLine := len(w.line)
		w.mu.Unlock()
		return running == 2 && inLine == 3 && w.Received() == 5 && w.Busy() == 5
	})

	seen := map[string]bool{}
	for range 5 {
		release <- struct{}{} // ends one running job; the next starts
		r := parse(t, receive(t, results))
		if r.Kind != jobwire.KindSuccess || seen[r.TaskToken] {
			t.Fatalf("result %+v (seen %v)", r, seen)
		}
		seen[r.TaskToken] = true
	}
	mu.Lock()
	defer mu.Unlock()
	if most != 2 {
		t.Fatalf("at most %d jobs ran at once, want 2", most)
	}
}

// A job that arrives again runs once; the same jobId with a new token is a
// new attempt (a Retry) and runs again.
func TestDuplicateJobRunsOnce(t *testing.T) {
	tests := []struct {
		name string
		jobs []string
		runs int
	}{
		{"same job twice", []string{
			`{"Input":{"a":1,"b":2},"TaskToken":"tok-a","jobId":"job-1"}`,
			`{"Input":{"a":1,"b":2},"TaskToken":"tok-a","jobId":"job-1"}`}, 1},
		{"same token without jobId", []string{
			`{"Input":{"a":1,"b":2},"TaskToken":"tok-a"}`,
			`{"Input":{"a":1,"b":2},"TaskToken":"tok-a"}`}, 1},
		{"same jobId, new token", []string{
			`{"Input":{"a":1,"b":2},"TaskToken":"tok-a","jobId":"job-1"}`,
			`{"Input":{"a":1,"b":2},"TaskToken":"tok-b","jobId":"job-1"}`}, 2},
		{"rejected job twice", []string{
			`{"Input":{},"TaskToken":"tok-a","heartbeatSeconds":1e30}`,
			`{"Input":{},"TaskToken":"tok-a","heartbeatSeconds":1e30}`}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, w, _ := startWorkerLogged(t, DefaultHandler(), discardLogger())
			results := b.subscribe(t, resultTopic)
			for _, j := range tt.jobs {
				b.publish(t, jobTopic, j)
			}
			waitFor(t, "both deliveries handled", func() bool {
				return w.Received() == uint64(len(tt.jobs)) && w.Busy() == 0
			})
			// A last job flushes any result still on its way.
			b.publish(t, jobTopic, `{"Input":{"a":0,"b":0},"TaskToken":"tok-last"}`)
			runs := 0
			for r := parse(t, receive(t, results)); r.TaskToken != "tok-last"; r = parse(t, receive(t, results)) {
				runs++
			}
			if runs != tt.runs {
				t.Fatalf("%d results, want %d", runs, tt.runs)
			}
		})
	}
}
