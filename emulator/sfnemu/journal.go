package sfnemu

import (
	"fmt"
	"sync"
	"time"

	"github.com/stepwire/stepwire/emulator/store"
)

// The execution journal (docs/durability.md §6): with Config.Store set,
// each Standard execution's inputs (its start, every delivery its Machine
// applied, the values it drew) are written to the store, so that a
// restarted service rebuilds it by replay (resume.go). Writes are queued
// for one writer goroutine that commits everything queued in one batch;
// the calls a client waits on (StartExecution, SendTask*, StopExecution)
// answer once their record is committed, the steps an execution takes on
// its own do not wait: they ride with the next commit a call waits for, or
// are committed flushDelay after they were queued if no call comes
// (docs/durability.md §6).

// journalBucket holds the executions' records.
const journalBucket = "exec"

// maxJournalQueue bounds the writes queued for the writer; a caller past
// it waits for the writer.
const maxJournalQueue = 1 << 16

// flushDelay is the longest a write no call waits for stays queued.
const flushDelay = 10 * time.Millisecond

// journal queues writes to the store for its writer goroutine.
type journal struct {
	st   store.Store
	mu   sync.Mutex
	cond *sync.Cond
	// pending are queued writes; queued counts every write queued,
	// written those committed (or failed: err), wanted the highest
	// ticket a caller waits for.
	pending                 []store.Op
	queued, written, wanted uint64
	err                     error
	closing                 bool
	// due is set flushDelay after a write was queued (armed: the timer
	// is running), to commit writes no call waits for.
	due, armed bool
	done       chan struct{}
}

func newJournal(st store.Store) *journal {
	j := &journal{st: st, done: make(chan struct{})}
	j.cond = sync.NewCond(&j.mu)
	go j.run()
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
		j.cond.Wait()
	}
	if j.closing {
		return 0
	}
	j.pending = append(j.pending, ops...)
	j.queued++
	if !j.armed {
		j.armed = true
		time.AfterFunc(flushDelay, j.flushDue)
	}
	if len(j.pending) >= maxJournalQueue {
		j.cond.Broadcast()
	}
	return j.queued
}

// flushDue has the writer commit what is queued, waited for or not.
func (j *journal) flushDue() {
	j.mu.Lock()
	j.due, j.armed = len(j.pending) > 0, false
	j.cond.Broadcast()
	j.mu.Unlock()
}

// ready reports whether the writer should commit now: a caller waits for
// a queued write, one has been queued flushDelay, the queue is full, or
// the journal is closing. j.mu is held.
func (j *journal) ready() bool {
	if len(j.pending) == 0 {
		return j.closing
	}
	return j.wanted > j.written || j.due || j.closing || len(j.pending) >= maxJournalQueue
}

// wait returns once the writes of ticket t are committed, with the
// writer's error, if any.
func (j *journal) wait(t uint64) error {
	if j == nil || t == 0 {
		return nil
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if t > j.wanted {
		j.wanted = t
		j.cond.Broadcast()
	}
	for j.written < t {
		j.cond.Wait()
	}
	return j.err
}

// run commits what is queued, one batch at a time, until closed and
// drained.
func (j *journal) run() {
	defer close(j.done)
	for {
		j.mu.Lock()
		for !j.ready() {
			j.cond.Wait()
		}
		if len(j.pending) == 0 {
			j.mu.Unlock()
			return
		}
		batch, upTo := j.pending, j.queued
		j.pending, j.due = nil, false
		j.cond.Broadcast()
		j.mu.Unlock()
		err := j.st.Apply(batch...)
		j.mu.Lock()
		j.written = upTo
		if err != nil {
			j.err = fmt.Errorf("execution journal: %w", err)
		}
		j.cond.Broadcast()
		j.mu.Unlock()
	}
}

// close commits what is queued and stops the writer.
func (j *journal) close() error {
	if j == nil {
		return nil
	}
	j.mu.Lock()
	j.closing = true
	j.cond.Broadcast()
	j.mu.Unlock()
	<-j.done
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.err
}

// closeJournal commits what is queued for the store; later writes are
// dropped (the executions resume from what was committed).
func (s *Service) closeJournal() {
	if err := s.journal.close(); err != nil {
		s.log.Error("execution journal", "err", err)
	}
}
