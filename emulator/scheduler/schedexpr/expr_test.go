package schedexpr

import (
	"testing"
	"time"
)

// now is the worked examples' "now" (docs/eventbridge.md §6.3): Thursday
// 2026-03-05 10:07:30 UTC.
var now = time.Date(2026, 3, 5, 10, 7, 30, 0, time.UTC)

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("time zone %s: %v", name, err)
	}
	return loc
}

// TestNextWorkedExamples checks the fire times of docs/eventbridge.md
// §6.3, each worked from the rules of §6.1 and §6.2.
func TestNextWorkedExamples(t *testing.T) {
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		expr string
		tz   string
		want []string
	}{
		{"rate(5 minutes)", "", []string{"2026-03-05T10:12:30Z", "2026-03-05T10:17:30Z"}},
		{"rate(1 day)", "", []string{"2026-03-06T10:07:30Z", "2026-03-07T10:07:30Z"}},
		{"cron(0/15 * * * ? *)", "", []string{"2026-03-05T10:15:00Z", "2026-03-05T10:30:00Z", "2026-03-05T10:45:00Z"}},
		{"cron(0 18 ? * MON-FRI *)", "", []string{"2026-03-05T18:00:00Z", "2026-03-06T18:00:00Z", "2026-03-09T18:00:00Z"}},
		{"cron(0 8 1 * ? *)", "", []string{"2026-04-01T08:00:00Z", "2026-05-01T08:00:00Z"}},
		{"cron(15 10 ? * 6L 2026)", "", []string{"2026-03-27T10:15:00Z", "2026-04-24T10:15:00Z"}},
		{"cron(0 2 ? * SAT#3 *)", "", []string{"2026-03-21T02:00:00Z", "2026-04-18T02:00:00Z"}},
		{"cron(0 9 15W * ? *)", "", []string{"2026-03-16T09:00:00Z", "2026-04-15T09:00:00Z"}},
		{"cron(0 0 L * ? *)", "", []string{"2026-03-31T00:00:00Z", "2026-04-30T00:00:00Z"}},
		{"cron(30 2 * * ? *)", "America/New_York", []string{"2026-03-06T07:30:00Z", "2026-03-07T07:30:00Z", "2026-03-09T06:30:00Z"}},
		{"cron(0 1 ? * 1 *)", "America/New_York", []string{"2026-03-08T06:00:00Z", "2026-03-15T05:00:00Z"}},
		{"at(2026-03-10T09:00:00)", "Europe/Berlin", []string{"2026-03-10T08:00:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.expr+" "+tt.tz, func(t *testing.T) {
			e, err := Parse(tt.expr)
			if err != nil {
				t.Fatal(err)
			}
			loc := time.UTC
			if tt.tz != "" {
				loc = mustLoad(t, tt.tz)
			}
			after := now
			for i, w := range tt.want {
				got, ok := e.Next(after, now, loc)
				if !ok || !got.Equal(utc(w)) {
					t.Fatalf("fire %d: got %v (%v), want %s", i, got.UTC(), ok, w)
				}
				after = got
			}
			if tt.expr[:3] == "at(" {
				if _, ok := e.Next(after, now, loc); ok {
					t.Fatalf("at() fired twice")
				}
			}
		})
	}
}

// TestDSTFallBackRunsOnce: a wall time the clock repeats when daylight
// saving ends fires once (docs/eventbridge.md §6.2).
func TestDSTFallBackRunsOnce(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	e, err := Parse("cron(30 1 * * ? *)")
	if err != nil {
		t.Fatal(err)
	}
	after := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC) // Oct 31 20:00 EDT
	first, _ := e.Next(after, after, ny)
	second, _ := e.Next(first, after, ny)
	if second.Sub(first) < 23*time.Hour {
		t.Fatalf("01:30 fired twice on the fall-back night: %v then %v", first.UTC(), second.UTC())
	}
}

// TestParseRejects lists the expressions AWS refuses (docs/eventbridge.md
// §6.1, §6.2) and a few more that break the grammar.
func TestParseRejects(t *testing.T) {
	for _, s := range []string{
		"rate(1 minutes)", "rate(10 minute)", "rate(0 minutes)", "rate(-10 minutes)", "rate(10 seconds)",
		"rate(10 years)", "rate(10 MINUTES)", "rate( 10 minutes )", " rate(10 minutes)", "rate(10)", "rate()",
		"cron(0 1 * * * *)", "cron(7 20 * * NOT *)", "cron(0 dummy ? * MON-FRI *)", "cron(71 8 1 * ? *)",
		"cron(0 1 ? * ? *)", "cron(0 1 * *)", "cron(0 1 * * ? 1969)", "cron(0 1 ? * 8 *)", "cron(0 1 ? * MON#6 *)",
		"cron(5-1 1 * * ? *)", "cron(0/0 1 * * ? *)", "cron(0 1 32W * ? *)",
		"at(2021-12-31)", "at(2021-12-31T23:59:59Z)", "at(2021-13-31T23:59:59)", "every day", "",
	} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) accepted it", s)
		}
	}
}

func TestParseAccepts(t *testing.T) {
	for _, s := range []string{
		"rate(1 minute)", "rate(1 hour)", "rate(12 hours)", "rate(7 days)",
		"cron(0 12 * * ? *)", "cron(0/10 * ? * MON-FRI *)", "cron(0 8 ? JAN,JUL SUN 2026-2030)",
		"cron(*/5 8-17/2 1,15 * ? *)", "cron(0 0 ? * L *)", "at(2022-12-31T23:59:59)",
	} {
		if _, err := Parse(s); err != nil {
			t.Errorf("Parse(%q): %v", s, err)
		}
	}
}

// TestNeverAgain: an expression with no future date reports false
// instead of searching forever.
func TestNeverAgain(t *testing.T) {
	for _, s := range []string{"cron(0 0 31 2 ? *)", "cron(0 0 1 1 ? 2020)"} {
		e, err := Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := e.Next(now, now, time.UTC); ok {
			t.Errorf("%s fires at %v", s, got)
		}
	}
}

// TestEveryMinuteForAYear walks a year of minutes: each Next is a few
// steps, not a scan from midnight.
func TestEveryMinuteForAYear(t *testing.T) {
	e, err := Parse("cron(* * * * ? *)")
	if err != nil {
		t.Fatal(err)
	}
	at, n := now, 0
	end := now.AddDate(1, 0, 0)
	for at.Before(end) {
		next, ok := e.Next(at, now, time.UTC)
		if !ok || next.Sub(at) > time.Minute {
			t.Fatalf("after %v: %v %v", at, next, ok)
		}
		if next.Before(end) {
			n++
		}
		at = next
	}
	if n != 365*24*60 {
		t.Fatalf("fired %d times in a year, want %d", n, 365*24*60)
	}
}
