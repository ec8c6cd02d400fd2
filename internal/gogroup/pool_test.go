package gogroup

import (
	"runtime"
	"testing"
	"time"
)

// waitIdle waits until n goroutines of g wait for work.
func waitIdle(t *testing.T, g *Group, n int32) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); g.pool.idle.Load() != n; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d idle goroutines, want %d", g.pool.idle.Load(), n)
		}
	}
}

func TestFinishedGoroutineRunsTheNextFunction(t *testing.T) {
	var g Group
	defer g.Close()
	first := make(chan struct{})
	g.Go(func() { close(first) })
	<-first
	waitIdle(t, &g, 1)
	second := make(chan struct{})
	g.wg.Add(1) // as Go does
	// The goroutine counts itself idle just before it waits for work: try
	// until it takes it.
	for deadline := time.Now().Add(10 * time.Second); !g.pool.handOff(func() { close(second) }); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("an idle goroutine did not take the work")
		}
	}
	<-second
	waitIdle(t, &g, 1)
}

func TestCloseEndsIdleGoroutines(t *testing.T) {
	var g Group
	// The three run at once, so that they are three goroutines: one that
	// finished could otherwise take the next function.
	release := make(chan struct{})
	for range 3 {
		g.Go(func() { <-release })
	}
	close(release)
	g.Wait()
	waitIdle(t, &g, 3)
	g.Close()
	waitIdle(t, &g, 0)
}

func TestIdleGoroutinesAreCapped(t *testing.T) {
	var g Group
	defer g.Close()
	release := make(chan struct{})
	for range maxIdle + 10 {
		g.Go(func() { <-release })
	}
	close(release)
	g.Wait()
	waitIdle(t, &g, maxIdle)
}

// A function that ends its goroutine (runtime.Goexit, as t.FailNow does)
// still counts as returned for Wait, and the group goes on.
func TestGoexitStillCountsAsReturned(t *testing.T) {
	var g Group
	defer g.Close()
	g.Go(runtime.Goexit)
	g.Wait()
	ran := make(chan struct{})
	g.Go(func() { close(ran) })
	<-ran
	g.Wait()
}
