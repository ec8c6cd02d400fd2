package sfnemu

import (
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/stepwire/stepwire/emulator/store"
)

// The execution journal (docs/durability.md §6): with Config.Store set,
// each Standard execution's inputs (its start, every delivery its Machine
// applied, the values it drew) are written to the store, so that a
// restarted service rebuilds it by replay (resume.go). Writes are queued;
// the calls a client waits on (StartExecution, SendTask*, StopExecution)
// answer once their record is committed, and the first of them to wait
// commits everything queued itself, in one batch, while the others queue
// behind it (no writer goroutine to hand over to). The steps an execution
// takes on its own do not wait: they ride with the next commit a call
// waits for, or are committed flushDelay after they were queued if no call
// comes (docs/durability.md §6).

// journalBucket holds the executions' records.
const journalBucket = "exec"

// maxJournalQueue bounds the writes queued; a caller past it commits them,
// or waits for the commit under way.
const maxJournalQueue = 1 << 16

// flushDelay is the longest a write no call waits for stays queued.
const flushDelay = 10 * time.Millisecond

// journal queues writes to the store and commits them in batches.
type journal struct {
	st   store.Store
	mu   sync.Mutex
	cond *sync.Cond // a commit ended, or the queue has room
	// pending are queued writes; queued counts every write queued,
	// written those committed (or failed: err).
	pending         []store.Op
	queued, written uint64
	err             error
	// committing is set while a caller commits; closing once close began.
	committing, closing bool
	// armed is set while a timer runs to commit writes no call waits for.
	armed bool
	// lastEnd is when the last commit ended.
	lastEnd time.Time
}

// busyGap: a commit that starts this soon after the last one ended finds
// the journal busy, and yields once to let more writes join it.
const busyGap = 200 * time.Microsecond

func newJournal(st store.Store) *journal {
	j := &journal{st: st}
	j.cond = sync.NewCond(&j.mu)
	return j
}

// add queues ops and returns the ticket to wait for. It returns 0, and
// writes nothing, once the journal is closing.
func (j *journal) add(ops ...store.Op) uint64 {
	if j == nil || len(ops) == 0 {
		return 0
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	for len(j.pending) >= maxJournalQueue && !j.closing {
		if !j.committing {
			j.commitLocked()
			continue
		}
		j.cond.Wait()
	}
	if j.closing {
		return 0
	}
	j.pending = append(j.pending, ops...)
	j.queued++
	j.armLocked()
	return j.queued
}

// armLocked arms the timer that commits writes no call waits for, unless
// it runs or nothing is queued. j.mu is held.
func (j *journal) armLocked() {
	if !j.armed && len(j.pending) > 0 && !j.closing {
		j.armed = true
		time.AfterFunc(flushDelay, j.flushDue)
	}
}

// flushDue commits what is queued, waited for or not, unless a commit is
// under way (its caller arms the timer again when it ends).
func (j *journal) flushDue() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.armed = false
	if len(j.pending) > 0 && !j.committing && !j.closing {
		j.commitLocked()
	}
}

// commitLocked commits every queued write in one batch. j.mu is held and
// no commit is under way; it is released during the commit.
func (j *journal) commitLocked() {
	j.committing = true
	if time.Since(j.lastEnd) < busyGap {
		// Commits follow each other: let the goroutines that are about to
		// queue a write do so first, and commit theirs with this batch.
		j.mu.Unlock()
		runtime.Gosched()
		j.mu.Lock()
	}
	batch, upTo := j.pending, j.queued
	j.pending = nil
	j.cond.Broadcast() // room in the queue
	j.mu.Unlock()
	err := j.st.Apply(batch...)
	j.mu.Lock()
	j.written = upTo
	if err != nil {
		j.err = fmt.Errorf("execution journal: %w", err)
	}
	j.committing = false
	j.lastEnd = time.Now()
	j.cond.Broadcast()
	j.armLocked()
}

// wait returns once the writes of ticket t are committed, with the
// journal's error, if any: it commits them itself unless a commit is
// under way, whose end it waits for.
func (j *journal) wait(t uint64) error {
	if j == nil || t == 0 {
		return nil
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	for j.written < t {
		if !j.committing {
			j.commitLocked()
			continue
		}
		j.cond.Wait()
	}
	return j.err
}

// callbackWindow is how long a SendTask* answer waits for another call's
// commit to carry its record before it commits it itself: in a loop of
// executions, the next StartExecution usually comes within it, and one
// commit then serves both (docs/durability.md §6).
const callbackWindow = time.Millisecond

// waitShared is wait for a call whose answer may wait a little longer: it
// returns once ticket t is committed, by the first commit some other call
// (or the flush timer) makes within window, else by its own.
func (j *journal) waitShared(t uint64, window time.Duration) error {
	if j == nil || t == 0 {
		return nil
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.written >= t {
		return j.err
	}
	expired := false
	timer := time.AfterFunc(window, func() {
		j.mu.Lock()
		expired = true
		j.cond.Broadcast()
		j.mu.Unlock()
	})
	defer timer.Stop()
	for j.written < t {
		if expired && !j.committing {
			j.commitLocked()
			continue
		}
		j.cond.Wait()
	}
	return j.err
}

// close commits what is queued; later writes are refused (add returns 0).
func (j *journal) close() error {
	if j == nil {
		return nil
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.closing = true
	for j.committing {
		j.cond.Wait()
	}
	if len(j.pending) > 0 {
		j.commitLocked()
	}
	return j.err
}

// closeJournal commits what is queued for the store; later writes are
// dropped (the executions resume from what was committed).
func (s *Service) closeJournal() {
	if err := s.journal.close(); err != nil {
		s.log.Error("execution journal", "err", err)
	}
}
