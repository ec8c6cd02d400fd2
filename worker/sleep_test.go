package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stepwire/stepwire/internal/clock"
	"github.com/stepwire/stepwire/internal/jobwire"
)

// sleepOnFake starts a sleep job of input on a fake clock and returns the
// clock, the job's cancel function and a channel of its outcome.
func sleepOnFake(t *testing.T, input string) (*clock.Fake, context.CancelFunc, <-chan error, *json.RawMessage) {
	t.Helper()
	c := clock.NewFake(virtualStart)
	w := &Worker{cfg: Config{Clock: c}, logger: discardLogger()}
	job := jobwire.Job{TaskToken: "tok", JobType: "sleep", Input: json.RawMessage(input)}
	ctx, cancel := context.WithCancel(withReporter(context.Background(), w, job))
	t.Cleanup(cancel)
	var result json.RawMessage
	done := make(chan error, 1)
	armed := c.Armed()
	go func() {
		var err error
		result, err = Sleep(ctx, job)
		done <- err
	}()
	select {
	case <-armed:
	case <-time.After(10 * time.Second):
		t.Fatal("sleep armed no timer")
	}
	return c, cancel, done, &result
}

// The sleep job waits on the worker's clock: 90 virtual seconds pass in no
// time, and not a moment sooner.
func TestSleepWaitsOnTheWorkersClock(t *testing.T) {
	c, _, done, result := sleepOnFake(t, `{"seconds":90}`)
	c.Advance(89 * time.Second)
	select {
	case err := <-done:
		t.Fatalf("sleep ended (%v) after 89 of 90 seconds", err)
	default:
	}
	c.Advance(time.Second)
	select {
	case err := <-done:
		if err != nil || string(*result) != `{"slept":90}` {
			t.Fatalf("sleep = %s, %v; want {\"slept\":90}", *result, err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("sleep did not end at 90 virtual seconds")
	}
}

// Cancelling the job ends the sleep at once, and stops its timer.
func TestSleepIsCancellable(t *testing.T) {
	c, cancel, done, _ := sleepOnFake(t, `{"seconds":3600}`)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled sleep = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("cancelled sleep did not end")
	}
	if n := c.Pending(); n != 0 {
		t.Fatalf("%d timer(s) armed after the sleep ended", n)
	}
}

func TestJobClockOutsideAJobIsTheWallClock(t *testing.T) {
	if _, ok := JobClock(context.Background()).(clock.Real); !ok {
		t.Fatal("JobClock outside a job is not clock.Real")
	}
}

// The sleep job reports its progress at the start and every second of
// the worker's clock: a 4 s sleep reports 0, 25, 50 and 75 percent.
func TestSleepReportsProgressEverySecond(t *testing.T) {
	c := clock.NewFake(virtualStart)
	w := &Worker{cfg: Config{Clock: c}, logger: discardLogger()}
	job := jobwire.Job{TaskToken: "tok", JobType: "sleep", Input: json.RawMessage(`{"seconds":4}`)}
	rec := newRecordingSend(false)
	r := &reporter{clock: w.cfg.Clock, job: job, progress: newProgressSender(c, ProgressInterval, rec.send, func(error) {})}
	done := make(chan error, 1)
	go func() {
		_, err := Sleep(r.attach(context.Background()), job)
		done <- err
	}()
	var got []string
	for i := 1; i <= 4; i++ {
		sent := rec.waitSent(t, i)
		p := parse(t, sent[i-1])
		rep, ok := jobwire.ReadProgressReport(p.Progress)
		if !ok || rep.Percent == nil {
			t.Fatalf("report %d: %s is not a ProgressReport", i, sent[i-1])
		}
		got = append(got, fmt.Sprintf("%v%% %s", *rep.Percent, rep.Message))
		c.Advance(time.Second)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	want := []string{"0% slept 0s of 4s", "25% slept 1s of 4s", "50% slept 2s of 4s", "75% slept 3s of 4s"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("reports %q, want %q", got, want)
	}
}

// A long sleep reports at most sleepSteps times however long it is.
func TestSleepProgressStepsAreBounded(t *testing.T) {
	c := clock.NewFake(virtualStart)
	w := &Worker{cfg: Config{Clock: c}, logger: discardLogger()}
	job := jobwire.Job{TaskToken: "tok", JobType: "sleep", Input: json.RawMessage(`{"seconds":86400}`)}
	reports := 0
	r := &reporter{clock: w.cfg.Clock, job: job, progress: newProgressSender(c, 0, func(context.Context, []byte) error { return nil }, func(error) {})}
	ctx := r.attach(context.Background())
	p := &sleepProgress{ctx: ctx, clk: c, start: c.Now(), d: 24 * time.Hour, step: max(time.Second, 24*time.Hour/sleepSteps)}
	p.report(0)
	for c.FireNext() {
		reports++
	}
	if reports+1 != sleepSteps {
		t.Fatalf("%d reports, want %d", reports+1, sleepSteps)
	}
}
