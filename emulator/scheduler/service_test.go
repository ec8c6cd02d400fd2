package scheduler

import (
	"context"
	"encoding/json"
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stepwire/stepwire/internal/clock"
)

// run is one target run a test saw.
type run struct {
	target, input string
	at            time.Time
}

type harness struct {
	svc   *Service
	clock *clock.Fake
	mu    sync.Mutex
	runs  []run
}

var t0 = time.Date(2026, 3, 5, 10, 7, 30, 0, time.UTC)

const machine = "arn:aws:states:us-east-1:123456789012:stateMachine:Nightly"

func newHarness(t *testing.T, max int) *harness {
	h := &harness{clock: clock.NewFake(t0)}
	h.svc = New(Config{Clock: h.clock, MaxSchedules: max, Start: func(_ context.Context, target, input string) error {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.runs = append(h.runs, run{target, input, h.clock.Now()})
		return nil
	}})
	t.Cleanup(h.svc.Close)
	return h
}

func (h *harness) seen() []run {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]run(nil), h.runs...)
}

func schedule(name, expr string) Schedule {
	return Schedule{Name: name, ScheduleExpression: expr, FlexibleTimeWindow: FlexibleTimeWindow{Mode: "OFF"},
		Target: Target{Arn: machine, RoleArn: "arn:aws:iam::123456789012:role/r", Input: `{"at":"<aws.scheduler.scheduled-time>"}`}}
}

// TestNightlyInTimeZone: a nightly cron in a time zone fires at local
// 02:30, skips the night daylight saving skips it (docs/eventbridge.md
// §6.3), and fills in the scheduled time (§7.3).
func TestNightlyInTimeZone(t *testing.T) {
	h := newHarness(t, 0)
	s := schedule("nightly", "cron(30 2 * * ? *)")
	s.ScheduleExpressionTimezone = "America/New_York"
	if _, err := time.LoadLocation(s.ScheduleExpressionTimezone); err != nil {
		t.Skip(err)
	}
	a, err := h.svc.Create(s)
	if err != nil || a != "arn:aws:scheduler:us-east-1:123456789012:schedule/default/nightly" {
		t.Fatalf("Create = %q, %v", a, err)
	}
	h.clock.Advance(5 * 24 * time.Hour)
	want := []string{"2026-03-06T07:30:00Z", "2026-03-07T07:30:00Z", "2026-03-09T06:30:00Z", "2026-03-10T06:30:00Z"}
	got := h.seen()
	if len(got) != len(want) {
		t.Fatalf("runs = %v, want %v", got, want)
	}
	for i, r := range got {
		if r.at.UTC().Format(time.RFC3339) != want[i] || r.input != `{"at":"`+want[i]+`"}` || r.target != machine {
			t.Errorf("run %d = %+v, want at %s", i, r, want[i])
		}
	}
}

// TestAtDeletesAfterCompletion: a one-time schedule with
// ActionAfterCompletion DELETE fires once and is gone (§7.2).
func TestAtDeletesAfterCompletion(t *testing.T) {
	h := newHarness(t, 0)
	s := schedule("once", "at(2026-03-05T12:00:00)")
	s.ActionAfterCompletion = "DELETE"
	if _, err := h.svc.Create(s); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(48 * time.Hour)
	if n := len(h.seen()); n != 1 {
		t.Fatalf("%d runs, want 1", n)
	}
	if _, err := h.svc.Get("", "once"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after completion: %v", err)
	}
}

// TestWindowAndState: a disabled schedule never fires; StartDate and
// EndDate bound the runs of an enabled one.
func TestWindowAndState(t *testing.T) {
	h := newHarness(t, 0)
	off := schedule("off", "rate(1 hour)")
	off.State = "DISABLED"
	win := schedule("win", "cron(0 * * * ? *)")
	start, end := t0.Add(5*time.Hour), t0.Add(8*time.Hour)
	win.StartDate, win.EndDate = &start, &end
	for _, s := range []Schedule{off, win} {
		if _, err := h.svc.Create(s); err != nil {
			t.Fatal(err)
		}
	}
	h.clock.Advance(24 * time.Hour)
	if got := h.seen(); len(got) != 3 || got[0].at.Hour() != 16 || got[2].at.Hour() != 18 {
		t.Fatalf("runs = %+v, want 16:00, 17:00, 18:00", got)
	}
}

// TestCreateRejects: AWS's validation messages (§7.2).
func TestCreateRejects(t *testing.T) {
	h := newHarness(t, 2)
	bad := func(f func(*Schedule)) Schedule { s := schedule("s", "rate(1 hour)"); f(&s); return s }
	tests := []struct {
		in   Schedule
		kind error
		msg  string
	}{
		{bad(func(s *Schedule) { s.ScheduleExpression = "rate(1 hours)" }), ErrValidation, "Invalid Schedule Expression rate(1 hours)."},
		{bad(func(s *Schedule) { s.Name = "a b" }), ErrValidation, `Name "a b" must be 1 to 64 characters from [0-9a-zA-Z-_.].`},
		{bad(func(s *Schedule) { s.GroupName = "other" }), ErrNotFound, "Schedule group other does not exist."},
		{bad(func(s *Schedule) { s.ScheduleExpressionTimezone = "Mars/Olympus" }), ErrValidation, "Invalid time zone Mars/Olympus."},
		{bad(func(s *Schedule) { s.FlexibleTimeWindow = FlexibleTimeWindow{Mode: "FLEXIBLE"} }), ErrValidation,
			"MaximumWindowInMinutes must be from 1 to 1440 when Mode is FLEXIBLE."},
		{bad(func(s *Schedule) { s.Target.Arn = "arn:aws:sqs:us-east-1:123456789012:q" }), ErrValidation,
			"Target.Arn arn:aws:sqs:us-east-1:123456789012:q: stepwire runs state machine, Lambda function and arn:aws:scheduler:::aws-sdk:sfn:startExecution targets."},
	}
	for _, tt := range tests {
		_, err := h.svc.Create(tt.in)
		if !errors.Is(err, tt.kind) || err.Error() != tt.kind.Error()+": "+tt.msg {
			t.Errorf("Create: %v, want %v: %s", err, tt.kind, tt.msg)
		}
	}
	for _, n := range []string{"a", "b"} {
		if _, err := h.svc.Create(schedule(n, "rate(1 hour)")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.svc.Create(schedule("a", "rate(1 hour)")); !errors.Is(err, ErrConflict) {
		t.Fatalf("duplicate: %v", err)
	}
	if _, err := h.svc.Create(schedule("c", "rate(1 hour)")); !errors.Is(err, ErrQuotaExceeded) {
		t.Fatalf("past MaxSchedules: %v", err)
	}
}

// TestRuleScheduledEvent: a rule's schedule sends the Scheduled Event
// (docs/eventbridge.md §6.4), its rate counted from the rule's creation.
func TestRuleScheduledEvent(t *testing.T) {
	h := newHarness(t, 0)
	if err := h.svc.AddRule(Rule{Name: "r", ScheduleExpression: "rate(5 minutes)", Enabled: true, TargetArn: machine}); err != nil {
		t.Fatal(err)
	}
	if err := h.svc.AddRule(Rule{Name: "bad", ScheduleExpression: "at(2026-03-05T12:00:00)"}); !errors.Is(err, ErrValidation) {
		t.Fatalf("at() on a rule: %v", err)
	}
	h.clock.Advance(10 * time.Minute)
	got := h.seen()
	if len(got) != 2 || !got[0].at.Equal(t0.Add(5*time.Minute)) {
		t.Fatalf("runs = %+v", got)
	}
	var ev struct {
		DetailType string   `json:"detail-type"`
		Source     string   `json:"source"`
		Time       string   `json:"time"`
		Resources  []string `json:"resources"`
	}
	if err := json.Unmarshal([]byte(got[0].input), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.DetailType != "Scheduled Event" || ev.Source != "aws.events" || ev.Time != "2026-03-05T10:12:30Z" ||
		len(ev.Resources) != 1 || ev.Resources[0] != "arn:aws:events:us-east-1:123456789012:rule/r" {
		t.Fatalf("event = %+v", ev)
	}
}

// TestEveryMinuteForAYear: a schedule firing every minute for a year of
// virtual time holds one timer and fires 525,600 times, quickly and
// without growing memory.
func TestEveryMinuteForAYear(t *testing.T) {
	c := clock.NewFake(t0)
	var n int
	svc := New(Config{Clock: c, Start: func(context.Context, string, string) error { n++; return nil }})
	defer svc.Close()
	m := schedule("m", "cron(* * * * ? *)")
	m.Target.Input = `{"job":"sweep"}`
	if _, err := svc.Create(m); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	c.Advance(365 * 24 * time.Hour)
	elapsed := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	if n != 365*24*60 || svc.Runs("", "m") != n {
		t.Fatalf("%d runs, want %d", n, 365*24*60)
	}
	if grown := int64(after.HeapAlloc) - int64(before.HeapAlloc); grown > 1<<20 {
		t.Errorf("heap grew by %d bytes over a year of runs", grown)
	}
	if elapsed > 20*time.Second {
		t.Errorf("a year of minutes took %v", elapsed)
	}
	t.Logf("a year of every-minute runs: %v", elapsed)
}
