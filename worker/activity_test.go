package worker

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stepwire/stepwire/internal/jobwire"
)

func TestWorkerActivityCounters(t *testing.T) {
	started := make(chan struct{}, 1)
	release := make(chan struct{})
	h := HandlerFunc(func(ctx context.Context, job jobwire.Job) (json.RawMessage, error) {
		started <- struct{}{}
		<-release
		return json.RawMessage(`1`), nil
	})
	b, w, _ := startWorkerLogged(t, h, discardLogger())
	results := b.subscribe(t, resultTopic)
	if w.Busy() != 0 || w.Received() != 0 || w.Published() != 0 {
		t.Fatalf("idle worker: busy %d received %d published %d", w.Busy(), w.Received(), w.Published())
	}

	b.publish(t, jobTopic, `{"Input":{},"TaskToken":"tok-a"}`)
	waitClosed(t, started)
	if w.Busy() != 1 || w.Received() != 1 {
		t.Fatalf("running job: busy %d received %d, want 1 and 1", w.Busy(), w.Received())
	}
	close(release)
	receive(t, results)
	waitFor(t, "the outcome to be acknowledged", func() bool { return w.Busy() == 0 && w.Published() == 1 })

	// A dropped message is received and never busy for long; a rejected job
	// is busy until its failure is published.
	b.publish(t, jobTopic, `not json`)
	b.publish(t, jobTopic, `{"Input":{},"TaskToken":"tok-b","heartbeatSeconds":100000000}`)
	receive(t, results)
	waitFor(t, "the rejection to be acknowledged", func() bool {
		return w.Busy() == 0 && w.Received() == 3 && w.Published() == 2
	})
}
