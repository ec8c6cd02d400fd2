package store

import (
	"sync"
	"testing"
)

// TestGroupCommitIsBounded: however many callers wait, one commit takes
// at most maxGroup batches, and every caller is answered
// (docs/durability.md §2).
func TestGroupCommitIsBounded(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	var sizes []int
	first := true
	g := newGroup(func(ops []Op) error {
		mu.Lock()
		sizes = append(sizes, len(ops))
		wait := first
		first = false
		mu.Unlock()
		if wait {
			<-release // hold the first commit while the queue fills
		}
		return nil
	})
	callers := 3*maxGroup + 1
	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() {
			if err := g.apply([]Op{Put("b", "k", nil)}); err != nil {
				t.Error(err)
			}
		})
	}
	close(release)
	wg.Wait()
	g.stop()
	total := 0
	for _, n := range sizes {
		if n > maxGroup {
			t.Errorf("a commit took %d batches, more than %d", n, maxGroup)
		}
		total += n
	}
	if total != callers {
		t.Errorf("%d batches committed, want %d", total, callers)
	}
	if err := g.apply([]Op{Put("b", "k", nil)}); err != ErrClosed {
		t.Errorf("apply after stop: %v, want ErrClosed", err)
	}
}
