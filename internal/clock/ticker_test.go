package clock

import (
	"testing"
	"time"
)

// tickNow returns the tick waiting on t.C, if any, without blocking.
func tickNow(t *Ticker) (time.Time, bool) {
	select {
	case at := <-t.C:
		return at, true
	default:
		return time.Time{}, false
	}
}

// On a Fake, a tick is a timer like any other: it fires when the clock
// reaches it and re-arms at the next period boundary; C holds one tick.
func TestFakeTickerTicksOnVirtualTime(t *testing.T) {
	c := NewFake(start)
	tk := NewTicker(c, 10*time.Second)
	if next, ok := c.Next(); !ok || !next.Equal(start.Add(10*time.Second)) || c.Pending() != 1 {
		t.Fatalf("Next = %v, %v; pending %d; want one timer at +10s", next, ok, c.Pending())
	}
	c.Advance(9 * time.Second)
	if at, ok := tickNow(tk); ok {
		t.Fatalf("ticked at %v before the period", at)
	}
	c.Advance(time.Second)
	if at, ok := tickNow(tk); !ok || !at.Equal(start.Add(10*time.Second)) {
		t.Fatalf("tick = %v, %v; want +10s", at, ok)
	}
	c.Advance(25 * time.Second) // boundaries +20s and +30s; C keeps the first
	if at, ok := tickNow(tk); !ok || !at.Equal(start.Add(20*time.Second)) {
		t.Fatalf("tick = %v, %v; want +20s", at, ok)
	}
	if at, ok := tickNow(tk); ok {
		t.Fatalf("second tick %v: C must hold one", at)
	}
	if !c.AdvanceToNext() || !c.Now().Equal(start.Add(40*time.Second)) {
		t.Fatalf("AdvanceToNext moved to %v, want +40s", c.Now())
	}
	if at, ok := tickNow(tk); !ok || !at.Equal(start.Add(40*time.Second)) {
		t.Fatalf("tick = %v, %v; want +40s", at, ok)
	}
	tk.Stop()
	if c.Pending() != 0 {
		t.Fatalf("pending %d after Stop, want 0", c.Pending())
	}
	c.Advance(time.Hour)
	if at, ok := tickNow(tk); ok {
		t.Fatalf("ticked at %v after Stop", at)
	}
}

func TestNextTickSkipsMissedBoundaries(t *testing.T) {
	const p = 10 * time.Second
	tests := []struct {
		name string
		late time.Duration
		want time.Duration // after the tick's due time
	}{
		{"on time", 0, p},
		{"late within the period", 9 * time.Second, p},
		{"late by one period", p, 2 * p},
		{"late by two and a half", 25 * time.Second, 3 * p},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nextTick(start, start.Add(tt.late), p); !got.Equal(start.Add(tt.want)) {
				t.Fatalf("nextTick = +%v, want +%v", got.Sub(start), tt.want)
			}
		})
	}
}

func TestRealTickerTicks(t *testing.T) {
	tk := NewTicker(Real{}, time.Millisecond)
	defer tk.Stop()
	for range 2 {
		select {
		case <-tk.C:
		case <-time.After(5 * time.Second):
			t.Fatal("Real ticker did not tick")
		}
	}
}

func TestNewTickerRejectsNonPositivePeriod(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("NewTicker(0) did not panic")
		}
	}()
	NewTicker(NewFake(start), 0)
}
