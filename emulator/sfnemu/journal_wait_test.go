package sfnemu

import (
	"sync"
	"testing"
	"time"

	"github.com/stepwire/stepwire/emulator/store"
)

// countingStore counts the commits that reach the store.
type countingStore struct {
	store.Store
	mu      sync.Mutex
	applies int
}

func (c *countingStore) Apply(ops ...store.Op) error {
	c.mu.Lock()
	c.applies++
	c.mu.Unlock()
	return c.Store.Apply(ops...)
}

func (c *countingStore) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.applies
}

// TestSharedWaitRidesWithTheNextCommit: a SendTask* record waits up to
// callbackWindow for another call's commit, which carries it; with none,
// it commits itself (docs/durability.md §6).
func TestSharedWaitRidesWithTheNextCommit(t *testing.T) {
	st := &countingStore{Store: store.NewMem()}
	j := newJournal(st)
	defer j.close()

	lone := j.add(store.Put(journalBucket, "lone", []byte("1")))
	if err := j.waitShared(lone, time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if n := st.count(); n != 1 {
		t.Fatalf("a lone shared wait made %d commits, want 1", n)
	}

	callback := j.add(store.Put(journalBucket, "callback", []byte("2")))
	done := make(chan error, 1)
	go func() { done <- j.waitShared(callback, time.Hour) }()
	start := j.add(store.Put(journalBucket, "start", []byte("3")))
	if err := j.wait(start); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := st.count(); n != 2 {
		t.Errorf("%d commits, want 2: the start's commit carries the callback's record", n)
	}
	for _, k := range []string{"lone", "callback", "start"} {
		if _, ok, _ := st.Get(journalBucket, k); !ok {
			t.Errorf("%s not committed", k)
		}
	}
}
