package gogroup

import (
	"sync/atomic"
	"testing"
)

func TestWaitWaitsForEveryGoroutineIncludingNestedOnes(t *testing.T) {
	var g Group
	var ran atomic.Int32
	release := make(chan struct{})
	for range 3 {
		if !g.Go(func() {
			<-release
			g.Go(func() { ran.Add(1) })
			ran.Add(1)
		}) {
			t.Fatal("Go refused before Close")
		}
	}
	close(release)
	g.Wait()
	if n := ran.Load(); n != 6 {
		t.Fatalf("%d functions ran before Wait returned, want 6", n)
	}
}

func TestCloseRefusesNewWorkAndIsIdempotent(t *testing.T) {
	var g Group
	if g.Closed() {
		t.Fatal("a new group is closed")
	}
	if !g.Close() {
		t.Fatal("first Close reported false")
	}
	if g.Close() {
		t.Fatal("second Close reported true")
	}
	if g.Go(func() { t.Error("ran after Close") }) {
		t.Fatal("Go accepted work after Close")
	}
	g.Wait()
	if !g.Closed() {
		t.Fatal("Closed is false after Close")
	}
}

// Close racing with goroutines that start more goroutines: Wait returns
// only once every admitted goroutine has returned.
func TestCloseRacingWithGo(t *testing.T) {
	var g Group
	var started, finished atomic.Int32
	var spawn func(depth int)
	spawn = func(depth int) {
		if depth == 0 {
			return
		}
		g.Go(func() {
			started.Add(1)
			spawn(depth - 1)
			spawn(depth - 1)
			finished.Add(1)
		})
	}
	spawn(8)
	g.Close()
	g.Wait()
	if started.Load() != finished.Load() {
		t.Fatalf("started %d, finished %d", started.Load(), finished.Load())
	}
}
