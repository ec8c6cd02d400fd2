package main

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iotdataplane"

	"github.com/stepwire/stepwire/emulator/emulatortest"
)

// The subscribing source sees the retained report first, then each new
// report as the worker publishes it, then the report cleared when the job
// ends, over MQTT over WebSocket signed like a call to AWS: the path
// `stepwire run` takes against the emulator and against IoT Core.
func TestSubscribeSourceFollowsReportsLive(t *testing.T) {
	srv, arn := startSleep(t, `{"seconds":4}`, emulatortest.WithFakeClock())
	waitProgress(t, srv, arn, "slept 0s of 4s") // retained before the watch starts

	cfg := srv.AWSConfig()
	src := newSubscribeSource(newRetainedSource(iotdataplane.NewFromConfig(cfg), defaultResultsTopic, arn),
		subscribeTarget{endpoint: srv.Endpoints().HTTP, region: cfg.Region, creds: cfg.Credentials})
	var mu sync.Mutex
	var seen []string
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- src.Watch(ctx, func(ps []taskProgress) {
			mu.Lock()
			defer mu.Unlock()
			text := "(none)"
			if len(ps) == 1 {
				text = progressText(ps[0])
			}
			seen = append(seen, text)
		})
	}()
	waitSeen := func(want string) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second) // generous: connecting under a loaded -race run
		for {
			mu.Lock()
			last := ""
			if len(seen) > 0 {
				last = seen[len(seen)-1]
			}
			mu.Unlock()
			if strings.Contains(last, want) {
				return
			}
			select {
			case err := <-done:
				t.Fatalf("Watch returned %v before it saw %q (it saw %q)", err, want, seen)
			default:
			}
			if time.Now().After(deadline) {
				t.Fatalf("watch saw %q, want one ending in %q", seen, want)
			}
			time.Sleep(2 * time.Millisecond) // polling interval, not synchronisation
		}
	}
	waitSeen("slept 0s of 4s") // subscribed: the snapshot comes after the SUBACK
	for i := 1; i <= 3; i++ {
		srv.Clock.Advance(time.Second)
		waitSeen("slept " + string(rune('0'+i)) + "s of 4s")
	}
	srv.Clock.Advance(time.Second) // the job ends; the worker clears its report
	waitSeen("(none)")
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Watch: %v", err)
	}
}

// stepwire progress --follow prints the retained report, each new one, and
// the task's end, until interrupted.
func TestProgressFollow(t *testing.T) {
	srv, arn := startSleep(t, `{"seconds":2}`, emulatortest.WithFakeClock())
	waitProgress(t, srv, arn, "slept 0s of 2s")
	var out lockedWriter
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- progressTo(ctx, &out, []string{"--follow", "--endpoint", srv.Endpoints().HTTP, arn}) }()
	waitOutput := func(want string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(out.String(), want) {
			if time.Now().After(deadline) {
				t.Fatalf("output %q, want %q in it", out.String(), want)
			}
			time.Sleep(2 * time.Millisecond) // polling interval, not synchronisation
		}
	}
	waitOutput("slept 0s of 2s")
	srv.Clock.Advance(time.Second)
	waitOutput("slept 1s of 2s")
	srv.Clock.Advance(time.Second)
	waitOutput("ended")
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("progress --follow: %v", err)
	}
	if n := strings.Count(out.String(), "\n"); n != 3 {
		t.Errorf("%d lines, want 3 (0s, 1s, ended):\n%s", n, out.String())
	}
}

func (w *lockedWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}
