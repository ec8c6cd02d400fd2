package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSyncerBoundsUnsyncedBytes: in SyncBackground mode a commit that
// would leave more than maxUnsynced bytes unsynced waits for the sync
// under way (docs/durability.md §2).
func TestSyncerBoundsUnsyncedBytes(t *testing.T) {
	entered, release := make(chan struct{}, 8), make(chan struct{})
	s := newSyncer(nil, func(*os.File) error {
		entered <- struct{}{}
		<-release
		return nil
	})
	if err := s.wrote(maxUnsynced); err != nil { // at the bound: no wait
		t.Fatal(err)
	}
	<-entered // the sync of those bytes is under way, and holds
	done := make(chan error, 1)
	go func() { done <- s.wrote(1) }()
	pollUntil(t, "the writer past the bound to wait", func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.waiting == 1
	})
	select {
	case err := <-done:
		t.Fatalf("a write past the bound returned (%v) while the sync held", err)
	default:
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := s.close(); err != nil {
		t.Fatal(err)
	}
	if s.synced != s.written {
		t.Errorf("closed with %d of %d bytes synced", s.synced, s.written)
	}
}

// TestFailedSyncRefusesLaterCommits: once a background sync fails, no
// commit is acknowledged any more.
func TestFailedSyncRefusesLaterCommits(t *testing.T) {
	broken := errors.New("disk gone")
	s, err := OpenWith(filepath.Join(t.TempDir(), "state.db"), Options{syncFn: func(*os.File) error { return broken }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := s.Apply(Put("b", "k", []byte("v")))
		if err != nil {
			if !errors.Is(err, broken) || !strings.Contains(err.Error(), "later writes refused") {
				t.Fatalf("commit after a failed sync = %v", err)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("commits still acknowledged after the sync failed")
		}
	}
	if err := s.Apply(Put("b", "k2", []byte("v"))); !errors.Is(err, broken) {
		t.Errorf("next commit = %v, want the sync's error", err)
	}
}

// pollUntil polls cond until it holds, failing t after 10 s.
func pollUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}
