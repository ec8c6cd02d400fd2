package scheduler

import (
	"context"
	"testing"
	"time"

	"github.com/stepwire/stepwire/emulator/store"
	"github.com/stepwire/stepwire/internal/clock"
)

// restartOn starts a Service on st at now, restored, counting its runs by
// schedule name.
func restartOn(t *testing.T, st store.Store, now time.Time) (*Service, *clock.Fake, map[string]int) {
	t.Helper()
	c := clock.NewFake(now)
	runs := map[string]int{}
	svc := New(Config{Clock: c, Store: st, Start: func(_ context.Context, _, input string) error {
		runs[input]++
		return nil
	}})
	t.Cleanup(svc.Close)
	if err := svc.Restore(); err != nil {
		t.Fatal(err)
	}
	return svc, c, runs
}

// TestRestoreArmsAtTheNextDueTime: each kind of schedule, kept in a store
// and restored later on the clock, runs as docs/durability.md §4 says.
func TestRestoreArmsAtTheNextDueTime(t *testing.T) {
	tests := []struct {
		name, expr   string
		action       string
		ranBefore    bool          // the clock passes its time before the restart
		down         time.Duration // from t0 to the restart
		after        time.Duration // advanced after the restart
		runs         int           // after the restart
		keptAfterAll bool
	}{
		{name: "recurring resumes without making up missed runs", expr: "rate(1 hour)", down: 5*time.Hour + 10*time.Minute, after: 50 * time.Minute, runs: 1, keptAfterAll: true},
		{name: "one-time missed while down runs once at start", expr: "at(2026-03-05T12:00:00)", down: 3 * time.Hour, runs: 1, keptAfterAll: true},
		{name: "one-time missed and DELETE runs once and is gone", expr: "at(2026-03-05T12:00:00)", action: "DELETE", down: 3 * time.Hour, runs: 1},
		{name: "one-time not yet due runs at its time", expr: "at(2026-03-05T12:00:00)", down: time.Hour, after: 2 * time.Hour, runs: 1, keptAfterAll: true},
		{name: "one-time that ran before does not run again", expr: "at(2026-03-05T11:00:00)", ranBefore: true, down: 3 * time.Hour, after: time.Hour, runs: 0, keptAfterAll: true},
		{name: "one-time past at creation never runs", expr: "at(2026-03-05T09:00:00)", down: 3 * time.Hour, after: time.Hour, runs: 0, keptAfterAll: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := store.NewMem()
			c := clock.NewFake(t0)
			svc := New(Config{Clock: c, Store: st})
			s := schedule("s", tt.expr)
			s.Target.Input = "s"
			s.ActionAfterCompletion = tt.action
			if _, err := svc.Create(s); err != nil {
				t.Fatal(err)
			}
			if tt.ranBefore {
				c.Advance(tt.down - time.Minute)
			}
			svc.Close()

			svc2, c2, runs := restartOn(t, st, t0.Add(tt.down))
			c2.Advance(0)
			c2.Advance(tt.after)
			if runs["s"] != tt.runs {
				t.Errorf("%d runs after the restart, want %d", runs["s"], tt.runs)
			}
			_, err := svc2.Get("", "s")
			if kept := err == nil; kept != tt.keptAfterAll {
				t.Errorf("kept = %v (%v), want %v", kept, err, tt.keptAfterAll)
			}
			svc2.Close()
			if !tt.keptAfterAll { // the deletion is in the store too
				svc3, _, _ := restartOn(t, st, t0.Add(tt.down+tt.after))
				if list := svc3.List("", "", ""); len(list) != 0 {
					t.Errorf("after a second restart: %+v", list)
				}
			}
		})
	}
}

// TestSameSettings: a template's schedule is the one kept when only the
// dates and defaults differ.
func TestSameSettings(t *testing.T) {
	base := schedule("s", "cron(0 2 * * ? *)")
	start := t0.Add(time.Hour)
	withDefaults := base
	withDefaults.GroupName, withDefaults.State, withDefaults.ActionAfterCompletion = "default", "ENABLED", "NONE"
	withDefaults.Arn, withDefaults.CreationDate = "arn:aws:scheduler:us-east-1:123456789012:schedule/default/s", t0
	other := base
	other.ScheduleExpression = "cron(0 3 * * ? *)"
	startA, startB := base, base
	startA.StartDate = &start
	sameInstant := start.In(time.FixedZone("x", 3600))
	startB.StartDate = &sameInstant
	tests := []struct {
		name string
		a, b Schedule
		same bool
	}{
		{"defaults and dates aside", base, withDefaults, true},
		{"another expression", base, other, false},
		{"a start date against none", base, startA, false},
		{"the same start date in another zone", startA, startB, true},
	}
	for _, tt := range tests {
		if got := SameSettings(tt.a, tt.b); got != tt.same {
			t.Errorf("%s: SameSettings = %v", tt.name, got)
		}
	}
}
