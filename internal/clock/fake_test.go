package clock

import (
	"slices"
	"testing"
	"time"
)

var start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Due timers run one after another in the goroutine that moves the clock,
// in deadline order and then arming order; a timer armed by a callback
// within the span fires in the same Advance. fired is appended without a
// lock: the race detector fails the test if timers run concurrently.
func TestFakeAdvanceFiresDueTimersInOrderInTheCallersGoroutine(t *testing.T) {
	c := NewFake(start)
	var fired []int
	var sawNow []time.Time
	c.AfterFunc(3*time.Second, func() { fired = append(fired, 3) })
	c.AfterFunc(time.Second, func() {
		fired = append(fired, 1)
		sawNow = append(sawNow, c.Now())
		c.AfterFunc(500*time.Millisecond, func() { fired = append(fired, 15) })
	})
	stopped := c.AfterFunc(2*time.Second, func() { fired = append(fired, 2) })
	c.AfterFunc(time.Second, func() { fired = append(fired, 11) })
	c.AfterFunc(time.Hour, func() { fired = append(fired, 99) })
	if !stopped.Stop() || stopped.Stop() {
		t.Fatal("Stop must report true once, then false")
	}
	c.Advance(3 * time.Second)
	if want := []int{1, 11, 15, 3}; !slices.Equal(fired, want) {
		t.Fatalf("fired %v, want %v", fired, want)
	}
	if want := start.Add(time.Second); !sawNow[0].Equal(want) {
		t.Fatalf("a timer saw now = %v, want its deadline %v", sawNow[0], want)
	}
	if want := start.Add(3 * time.Second); !c.Now().Equal(want) {
		t.Fatalf("now = %v, want %v", c.Now(), want)
	}
	if c.Pending() != 1 {
		t.Fatalf("pending = %d, want 1", c.Pending())
	}
}

func TestFakeAfterFuncAtFiresAtItsExactDeadline(t *testing.T) {
	c := NewFake(start)
	fired := false
	c.AfterFuncAt(start.Add(time.Second), func() { fired = true })
	c.Advance(999 * time.Millisecond)
	if fired {
		t.Fatal("fired before its deadline")
	}
	if next, ok := c.Next(); !ok || !next.Equal(start.Add(time.Second)) {
		t.Fatalf("Next = %v, %v", next, ok)
	}
	c.Advance(time.Millisecond)
	if !fired {
		t.Fatal("did not fire at its deadline")
	}
}

// A timer already past due fires at the current time: the clock never
// moves backwards.
func TestFakeAdvanceToNextNeverMovesBackwards(t *testing.T) {
	c := NewFake(start)
	fired := 0
	c.AfterFuncAt(start.Add(-time.Second), func() { fired++ })
	c.AfterFuncAt(start, func() { fired++ })
	if !c.AdvanceToNext() {
		t.Fatal("AdvanceToNext found no timer")
	}
	if fired != 2 {
		t.Fatalf("fired %d timers, want both due ones", fired)
	}
	if !c.Now().Equal(start) {
		t.Fatalf("now = %v, want %v", c.Now(), start)
	}
	c.AfterFunc(2*time.Second, func() { fired++ })
	if !c.AdvanceToNext() || fired != 3 || !c.Now().Equal(start.Add(2*time.Second)) {
		t.Fatalf("fired %d, now %v", fired, c.Now())
	}
	if c.AdvanceToNext() {
		t.Fatal("AdvanceToNext with no timers reported true")
	}
}

func TestFakeFireNextFiresOneTimerAtATime(t *testing.T) {
	c := NewFake(start)
	var fired []int
	c.AfterFunc(3*time.Second, func() { fired = append(fired, 3) })
	c.AfterFunc(time.Second, func() { fired = append(fired, 1) })
	c.AfterFunc(time.Second, func() { fired = append(fired, 11) })
	if !c.FireNext() || !slices.Equal(fired, []int{1}) {
		t.Fatalf("first FireNext fired %v", fired)
	}
	for c.FireNext() {
	}
	if want := []int{1, 11, 3}; !slices.Equal(fired, want) {
		t.Fatalf("fired %v, want %v", fired, want)
	}
	c.Set(start)
	if !c.Now().Equal(start.Add(3 * time.Second)) {
		t.Fatal("Set moved the clock back")
	}
	c.AfterFunc(time.Second, func() { fired = append(fired, 4) })
	c.Set(start.Add(10 * time.Second))
	if len(fired) != 3 || c.Pending() != 1 {
		t.Fatal("Set fired a timer")
	}
}

func TestRealAfterFuncAtFires(t *testing.T) {
	done := make(chan struct{})
	Real{}.AfterFuncAt(time.Now().Add(time.Millisecond), func() { close(done) })
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Real.AfterFuncAt did not fire")
	}
}
