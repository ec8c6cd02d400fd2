package worker

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stepwire/stepwire/internal/jobwire"
)

// A job that asks for heartbeats gets none from a worker with
// NoHeartbeats, nor from a handler that calls StopHeartbeats: the first
// message about it is its outcome.
func TestHeartbeatSwitches(t *testing.T) {
	for name, tc := range map[string]struct {
		noHeartbeats, stop bool
	}{
		"Config.NoHeartbeats": {noHeartbeats: true},
		"StopHeartbeats":      {stop: true},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			started, release := make(chan struct{}), make(chan struct{})
			h := HandlerFunc(func(ctx context.Context, job jobwire.Job) (json.RawMessage, error) {
				if tc.stop {
					if err := StopHeartbeats(ctx); err != nil {
						return nil, err
					}
				}
				close(started)
				<-release
				return json.RawMessage(`"done"`), nil
			})
			b, _ := startWorker(t, h, func(c *Config, _ *testBroker) { c.NoHeartbeats = tc.noHeartbeats })
			results := b.subscribe(t, resultTopic)
			// heartbeatSeconds 1: a heartbeat every third of a second, were there any.
			b.publish(t, jobTopic, `{"Input":{},"TaskToken":"tok-q","heartbeatSeconds":1}`)
			waitClosed(t, started)
			time.Sleep(800 * time.Millisecond) // two heartbeat intervals and more
			close(release)
			if r := parse(t, receive(t, results)); r.Kind != jobwire.KindSuccess {
				t.Fatalf("first message %+v, want the success and no heartbeat", r)
			}
		})
	}
}

func TestStopHeartbeatsOutsideAJob(t *testing.T) {
	if err := StopHeartbeats(context.Background()); err != ErrNoJob {
		t.Fatalf("StopHeartbeats = %v, want ErrNoJob", err)
	}
}
