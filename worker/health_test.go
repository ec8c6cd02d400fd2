package worker

import (
	"path/filepath"
	"strings"
	"testing"
)

// The health file follows the connection: ready once subscribed, not ready
// while reconnecting, ready again, and stopped (for good) after Run.
func TestHealthFileFollowsTheConnection(t *testing.T) {
	path := filepath.Join(t.TempDir(), "health")
	if err := CheckHealth(path); err == nil {
		t.Fatal("a missing health file passed")
	}
	b, stop := startWorker(t, DefaultHandler(), func(c *Config, _ *testBroker) { c.HealthFile = path })
	if err := CheckHealth(path); err != nil {
		t.Fatalf("connected worker: %v", err)
	}
	b.allow.refuse.Store(true)
	b.kick(t, "worker-1")
	waitFor(t, "the health check to fail while the worker reconnects", func() bool { return CheckHealth(path) != nil })
	b.allow.refuse.Store(false)
	waitFor(t, "the health check to pass after the reconnect", func() bool { return CheckHealth(path) == nil })
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if err := CheckHealth(path); err == nil || !strings.Contains(err.Error(), HealthStopped) {
		t.Fatalf("stopped worker: %v", err)
	}
}

// Two workers of one share group split the jobs: each job runs once, on
// one of them.
func TestShareGroupSplitsJobs(t *testing.T) {
	cfg, b := testConfig(t)
	cfg.ShareGroup = "g"
	runWorker(t, cfg, DefaultHandler(), discardLogger())
	cfg.ClientID = "worker-2"
	runWorker(t, cfg, DefaultHandler(), discardLogger())
	results := b.subscribe(t, resultTopic)
	for i := range 6 {
		b.publish(t, jobTopic, `{"Input":{"a":1,"b":`+string(rune('0'+i))+`},"TaskToken":"tok-`+string(rune('0'+i))+`"}`)
	}
	seen := map[string]bool{}
	for range 6 {
		r := parse(t, receive(t, results))
		if seen[r.TaskToken] {
			t.Fatalf("job %s ran twice", r.TaskToken)
		}
		seen[r.TaskToken] = true
	}
}
