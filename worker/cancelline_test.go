package worker

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stepwire/stepwire/internal/jobwire"
)

// A cancel for a job that waits in line (past Config.MaxConcurrent) takes
// it out of the line: it never starts, it fails once with JobCancelled, and
// the jobs behind it still run.
func TestCancelReachesJobsWaitingInLine(t *testing.T) {
	started := make(chan string, 8)
	release := make(chan struct{})
	h := HandlerFunc(func(ctx context.Context, job jobwire.Job) (json.RawMessage, error) {
		started <- job.TaskToken
		select {
		case <-release:
			return json.RawMessage(`"ok"`), nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	})
	b, w, _ := startWorkerLogged(t, h, discardLogger(), func(c *Config, _ *testBroker) { c.MaxConcurrent = 1 })
	results := b.subscribe(t, resultTopic)
	b.publish(t, jobTopic, `{"Input":{},"TaskToken":"tok-run","executionArn":"exec-1"}`)
	b.publish(t, jobTopic, `{"Input":{},"TaskToken":"tok-wait","executionArn":"exec-2"}`)
	b.publish(t, jobTopic, `{"Input":{},"TaskToken":"tok-next","executionArn":"exec-3"}`)
	if tok := <-started; tok != "tok-run" {
		t.Fatalf("first job started: %s", tok)
	}
	waitFor(t, "two jobs in line", func() bool {
		w.mu.Lock()
		defer w.mu.Unlock()
		return len(w.line) == 2
	})

	b.publish(t, jobwire.ControlTopic(jobTopic), `{"kind":"cancel","executionArn":"exec-2","reason":"execution ABORTED"}`)
	r := parse(t, receive(t, results))
	if r.TaskToken != "tok-wait" || r.Kind != jobwire.KindFailure || r.Error != FailureJobCancelled {
		t.Fatalf("result = %+v, want JobCancelled for tok-wait", r)
	}
	if r.Cause != "job cancelled: execution ABORTED" {
		t.Errorf("cause = %q", r.Cause)
	}

	release <- struct{}{} // tok-run ends; tok-next, not tok-wait, starts
	if r := parse(t, receive(t, results)); r.TaskToken != "tok-run" || r.Kind != jobwire.KindSuccess {
		t.Fatalf("result = %+v, want tok-run's success", r)
	}
	if tok := <-started; tok != "tok-next" {
		t.Fatalf("after the cancel, %s started, want tok-next", tok)
	}
	release <- struct{}{}
	if r := parse(t, receive(t, results)); r.TaskToken != "tok-next" {
		t.Fatalf("result = %+v, want tok-next's", r)
	}
	waitFor(t, "nothing busy", func() bool { return w.Busy() == 0 })
}
