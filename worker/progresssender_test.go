package worker

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stepwire/stepwire/internal/clock"
)

// recordingSend is a progressSender's send that records payloads and, when
// hold is set, waits for release before it returns (a publish in flight).
type recordingSend struct {
	mu      sync.Mutex
	got     []string
	hold    bool
	release chan struct{}
}

func newRecordingSend(hold bool) *recordingSend {
	return &recordingSend{hold: hold, release: make(chan struct{}, 16)}
}

func (r *recordingSend) send(_ context.Context, payload []byte) error {
	r.mu.Lock()
	r.got = append(r.got, string(payload))
	hold := r.hold
	r.mu.Unlock()
	if hold {
		<-r.release
	}
	return nil
}

func (r *recordingSend) sent() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.got...)
}

func (r *recordingSend) waitSent(t *testing.T, n int) []string {
	t.Helper()
	waitFor(t, fmt.Sprintf("%d publishes", n), func() bool { return len(r.sent()) >= n })
	return r.sent()
}

func newTestSender(hold bool) (*progressSender, *recordingSend, *clock.Fake) {
	c := clock.NewFake(virtualStart)
	rec := newRecordingSend(hold)
	return newProgressSender(c, ProgressInterval, rec.send, func(error) {}), rec, c
}

// The first report goes out at once; reports made while it is in flight
// coalesce into the latest, which goes out one ProgressInterval after the
// first started, not a moment sooner.
func TestProgressCoalescesLatestWins(t *testing.T) {
	s, rec, c := newTestSender(true)
	for _, m := range []string{"a", "b", "c"} {
		if err := s.offer([]byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	rec.waitSent(t, 1)
	rec.release <- struct{}{}
	waitFor(t, "the next publish to be scheduled", func() bool { return c.Pending() == 1 })
	c.Advance(ProgressInterval - time.Millisecond)
	if got := rec.sent(); len(got) != 1 {
		t.Fatalf("published %q before the interval passed", got)
	}
	c.Advance(time.Millisecond)
	got := rec.waitSent(t, 2)
	rec.release <- struct{}{}
	if want := []string{"a", "c"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("published %q, want %q", got, want)
	}
}

// A handler reporting from a hot loop makes one publish per interval:
// 10,000 reports over 3 virtual seconds are 4 publishes, the last report
// among them.
func TestProgressHotLoopIsBounded(t *testing.T) {
	s, rec, c := newTestSender(false)
	last := ""
	for sec := 0; sec < 3; sec++ {
		for i := 0; i < 10_000/3; i++ {
			last = fmt.Sprintf("%d-%d", sec, i)
			_ = s.offer([]byte(last))
		}
		waitFor(t, "the publish of this second", func() bool { return len(rec.sent()) == sec+1 && c.Pending() == 1 })
		c.Advance(ProgressInterval)
	}
	got := rec.waitSent(t, 4)
	if len(got) != 4 || got[3] != last {
		t.Fatalf("published %d reports ending %q, want 4 ending %q", len(got), got[len(got)-1], last)
	}
	if n := c.Pending(); n != 0 {
		t.Fatalf("%d timers armed with nothing to publish", n)
	}
}

// close waits for the publish in flight, drops the pending report, clears
// the retained report with an empty publish, and refuses later reports.
func TestProgressCloseClears(t *testing.T) {
	s, rec, c := newTestSender(true)
	_ = s.offer([]byte("a"))
	rec.waitSent(t, 1)
	_ = s.offer([]byte("b"))
	closed := make(chan struct{})
	go func() {
		s.close(context.Background())
		close(closed)
	}()
	select {
	case <-closed:
		t.Fatal("close returned while a publish was in flight")
	case <-time.After(10 * time.Millisecond): // a chance to misbehave, not synchronisation
	}
	rec.release <- struct{}{} // a
	rec.release <- struct{}{} // the clear
	<-closed
	if got, want := rec.sent(), []string{"a", ""}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("published %q, want %q", got, want)
	}
	if err := s.offer([]byte("c")); !errors.Is(err, ErrJobEnded) {
		t.Fatalf("offer after close = %v, want ErrJobEnded", err)
	}
	if n := c.Pending(); n != 0 {
		t.Fatalf("%d timers armed after close", n)
	}
}

// A job that never reported progress publishes nothing when it ends.
func TestProgressCloseWithoutReportsPublishesNothing(t *testing.T) {
	s, rec, _ := newTestSender(false)
	s.close(context.Background())
	if got := rec.sent(); len(got) != 0 {
		t.Fatalf("published %q", got)
	}
}
