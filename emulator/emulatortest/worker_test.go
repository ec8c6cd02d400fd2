package emulatortest

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeTB records failures and cleanups; Fatal ends the calling goroutine as
// testing.T's does.
type fakeTB struct {
	testing.TB // nil: calling a method not defined here panics

	mu       sync.Mutex
	fatals   []string
	errs     []string
	cleanups []func()
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.fatals = append(f.fatals, fmt.Sprintf(format, args...))
	f.mu.Unlock()
	runtime.Goexit()
}

func (f *fakeTB) Errorf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errs = append(f.errs, fmt.Sprintf(format, args...))
}

func (f *fakeTB) Cleanup(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cleanups = append(f.cleanups, fn)
}

// finish runs body as a test would (on its own goroutine, so Fatal can end
// it), then the cleanups, failing t if either does not return within 10s.
func (f *fakeTB) finish(t *testing.T, body func()) {
	t.Helper()
	within := func(what string, fn func()) {
		t.Helper()
		done := make(chan struct{})
		go func() {
			defer close(done)
			fn()
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second): // a hang detector, not synchronisation
			t.Fatalf("%s did not return within 10s", what)
		}
	}
	within("the helper", body)
	within("cleanup", func() {
		for i := len(f.cleanups) - 1; i >= 0; i-- {
			f.cleanups[i]()
		}
	})
}

// A worker that dies before it is ready fails the helper with its error,
// once, and cleanup does not wait for a second result that never comes.
func TestRunUntilReadyWorkerDiesAtOnce(t *testing.T) {
	ft := &fakeTB{}
	boom := errors.New("dial mqtts://127.0.0.1:1: connection refused")
	ft.finish(t, func() {
		runUntilReady(ft, func(context.Context) error { return boom }, make(chan struct{}))
	})
	if len(ft.fatals) != 1 || !strings.Contains(ft.fatals[0], boom.Error()) {
		t.Fatalf("Fatalf calls = %q, want one with %q", ft.fatals, boom)
	}
	if len(ft.errs) != 0 {
		t.Fatalf("Errorf calls = %q, want none (the error was reported already)", ft.errs)
	}
}

// A ready worker is stopped at cleanup; an error it returns then fails the
// test.
func TestRunUntilReadyStopsAtCleanup(t *testing.T) {
	for _, stopErr := range []error{nil, errors.New("disconnect: timeout")} {
		ft := &fakeTB{}
		stopped := false
		ft.finish(t, func() {
			ready := make(chan struct{})
			runUntilReady(ft, func(ctx context.Context) error {
				close(ready)
				<-ctx.Done()
				stopped = true
				return stopErr
			}, ready)
		})
		if !stopped || len(ft.fatals) != 0 {
			t.Fatalf("stopped = %v, Fatalf calls = %q; want a clean stop", stopped, ft.fatals)
		}
		if wantErrs := stopErr != nil; (len(ft.errs) == 1) != wantErrs {
			t.Fatalf("Errorf calls = %q for stop error %v", ft.errs, stopErr)
		}
	}
}
