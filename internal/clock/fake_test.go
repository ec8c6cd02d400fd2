package clock

import (
	"testing"
	"time"
)

func TestFakeFiresDueTimersInOrder(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewFake(start)
	fired := make(chan int, 3)
	c.AfterFunc(3*time.Second, func() { fired <- 3 })
	c.AfterFunc(1*time.Second, func() { fired <- 1 })
	stopped := c.AfterFunc(2*time.Second, func() { fired <- 2 })
	if !stopped.Stop() {
		t.Fatal("Stop of an armed timer reported false")
	}
	c.Advance(1500 * time.Millisecond)
	if got := <-fired; got != 1 {
		t.Fatalf("first timer = %d, want 1", got)
	}
	if c.Pending() != 1 {
		t.Fatalf("pending = %d, want 1", c.Pending())
	}
	if !c.AdvanceToNext() {
		t.Fatal("AdvanceToNext found no timer")
	}
	if got := <-fired; got != 3 {
		t.Fatalf("second timer = %d, want 3", got)
	}
	if want := start.Add(3 * time.Second); !c.Now().Equal(want) {
		t.Fatalf("now = %v, want %v", c.Now(), want)
	}
	if c.AdvanceToNext() {
		t.Fatal("AdvanceToNext with no timers reported true")
	}
}
