package worker

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"sync"
	"testing"

	"github.com/stepwire/stepwire/internal/hop"
)

// syncBuffer is a bytes.Buffer safe for the worker's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) lines() []map[string]any {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, l := range bytes.Split(bytes.TrimSpace(b.buf.Bytes()), []byte("\n")) {
		m := map[string]any{}
		if json.Unmarshal(l, &m) == nil {
			out = append(out, m)
		}
	}
	return out
}

// The worker's hop lines follow internal/hop, with the token fingerprint
// the Lambdas log too, so one job's hops correlate across components.
func TestWorkerHopLines(t *testing.T) {
	var logs syncBuffer
	b, _, stop := startWorkerLogged(t, DefaultHandler(), slog.New(slog.NewJSONHandler(&logs, nil)))
	results := b.subscribe(t, resultTopic)
	b.publish(t, jobTopic, `{"Input":{"a":1,"b":2},"TaskToken":"tok-hop","jobId":"j1"}`)
	receive(t, results)
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	var hops []string
	for _, l := range logs.lines() {
		if l["msg"] != hop.Message {
			continue
		}
		hops = append(hops, l[hop.Key].(string))
		if l[hop.TokenRefKey] != hop.TokenRef("tok-hop") || l["jobId"] != "j1" {
			t.Errorf("hop line %v: want %s=%s and jobId j1", l, hop.TokenRefKey, hop.TokenRef("tok-hop"))
		}
	}
	if len(hops) != 2 || hops[0] != "worker-received" || hops[1] != "worker-publish" {
		t.Fatalf("hops = %q, want worker-received then worker-publish", hops)
	}
}
