package store

import (
	"fmt"
	"os"
	"sync"
	"time"
)

// When a commit is durable (docs/durability.md §2). Both modes write a
// commit's record to the log before Apply returns: from then on it is in
// the kernel's page cache, which no crash of the process takes back (a
// panic, SIGKILL, an OOM kill, a stopped container). They differ in when
// the record reaches the disk, which a crash of the machine (power loss,
// a kernel panic) needs:
//
//   - SyncCommit: Apply returns once the record is fdatasynced.
//   - SyncBackground: a goroutine fdatasyncs the log behind the writer,
//     one sync every syncInterval while there is anything to sync, so a
//     crash of the machine loses the commits of the sync under way and
//     those written since, never more than maxUnsynced bytes of them: a
//     commit that would leave more waits for the sync.
//
// SyncBackground is the default: the sync then costs a commit nothing on
// its way, where SyncCommit puts the disk's latency on every call that
// writes (Redis's appendfsync everysec and always, PostgreSQL's
// synchronous_commit off and on, make the same choice).

// SyncMode says when a commit is on disk.
type SyncMode int

const (
	// SyncBackground returns from Apply once the record is written, and
	// syncs it in the background.
	SyncBackground SyncMode = iota
	// SyncCommit returns from Apply once the record is synced.
	SyncCommit
)

// String is the mode's name, as ParseSyncMode reads it.
func (m SyncMode) String() string {
	if m == SyncCommit {
		return "commit"
	}
	return "background"
}

// ParseSyncMode reads a mode's name: "background" or "commit".
func ParseSyncMode(s string) (SyncMode, error) {
	switch s {
	case "background":
		return SyncBackground, nil
	case "commit":
		return SyncCommit, nil
	}
	return 0, fmt.Errorf("sync mode %q: want background or commit", s)
}

// maxUnsynced bounds the log bytes written and not yet synced in
// SyncBackground mode.
const maxUnsynced = 1 << 20

// syncInterval is the shortest time from one background sync's start to
// the next one's, unless a flush or the bound on unsynced bytes urges it:
// under load a sync covers the commits of a few milliseconds, not of the
// last sync's duration, and costs the machine far fewer of them.
const syncInterval = 5 * time.Millisecond

// syncer fdatasyncs the log segment commits append to, in the
// background. Bytes are counted over all segments: written is what the
// writer appended, synced what a finished sync covers.
type syncer struct {
	sync func(*os.File) error // fdatasync; tests replace it

	mu              sync.Mutex
	cond            *sync.Cond // written, synced, err or stop changed
	f               *os.File
	written, synced int64
	err             error
	stop            bool
	done            chan struct{}
	urge            chan struct{} // ends the wait for the interval
	waiting         int           // writers waiting for a sync: a test's view
}

// newSyncer starts syncing f with fn.
func newSyncer(f *os.File, fn func(*os.File) error) *syncer {
	s := &syncer{sync: fn, f: f, done: make(chan struct{}), urge: make(chan struct{}, 1)}
	s.cond = sync.NewCond(&s.mu)
	go s.run()
	return s
}

func (s *syncer) run() {
	defer close(s.done)
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		for !s.stop && (s.synced == s.written || s.err != nil) {
			s.cond.Wait()
		}
		if s.synced == s.written || s.err != nil {
			return // stopped, and nothing left it could sync
		}
		target, f := s.written, s.f
		s.mu.Unlock()
		started := time.Now()
		err := s.sync(f)
		s.mu.Lock()
		if err != nil {
			s.err = err
		} else {
			s.synced = target
		}
		s.cond.Broadcast()
		if !s.stop {
			s.mu.Unlock()
			s.pause(syncInterval - time.Since(started))
			s.mu.Lock()
		}
	}
}

// pause waits d, or less if urged.
func (s *syncer) pause(d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-s.urge:
	}
}

// hurry ends the syncer's pause, if any. s.mu is held.
func (s *syncer) hurry() {
	select {
	case s.urge <- struct{}{}:
	default:
	}
}

// wrote counts n bytes appended to the current segment and has them
// synced. It waits while more than maxUnsynced bytes are not on disk, and
// returns the error of a sync that failed.
func (s *syncer) wrote(n int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.written += int64(n)
	s.cond.Broadcast()
	for s.err == nil && s.written-s.synced > maxUnsynced {
		s.hurry()
		s.waiting++
		s.cond.Wait()
		s.waiting--
	}
	return s.err
}

// flush waits until every byte written is synced, and returns the error
// of a sync that failed.
func (s *syncer) flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.err == nil && s.synced < s.written {
		s.hurry()
		s.cond.Wait()
	}
	return s.err
}

// switchTo makes f the segment later writes go to; flush first, so that
// no sync of the previous one is under way and it can be closed.
func (s *syncer) switchTo(f *os.File) {
	s.mu.Lock()
	s.f = f
	s.mu.Unlock()
}

// close syncs what is left and stops the goroutine.
func (s *syncer) close() error {
	s.mu.Lock()
	s.stop = true
	s.hurry()
	s.cond.Broadcast()
	s.mu.Unlock()
	<-s.done
	return s.err
}
