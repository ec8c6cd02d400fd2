package sfnemu

import (
	"fmt"
	"sync"

	"github.com/stepwire/stepwire/emulator/store"
)

// The execution journal (docs/durability.md §6): with Config.Store set,
// each Standard execution's inputs (its start, every delivery its Machine
// applied, the values it drew) are written to the store, so that a
// restarted service rebuilds it by replay (resume.go). Writes are queued
// for one writer goroutine that commits everything queued in one batch;
// the calls a client waits on (StartExecution, SendTask*, StopExecution)
// answer once their record is committed, the steps an execution takes on
// its own do not wait.

// journalBucket holds the executions' records.
const journalBucket = "exec"

// maxJournalQueue bounds the writes queued for the writer; a caller past
// it waits for the writer.
const maxJournalQueue = 1 << 16

// journal queues writes to the store for its writer goroutine.
type journal struct {
	st   store.Store
	mu   sync.Mutex
	cond *sync.Cond
	// pending are queued writes; queued counts every write queued,
	// written those committed (or failed: err).
	pending         []store.Op
	queued, written uint64
	err             error
	closing         bool
	done            chan struct{}
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
	j.cond.Broadcast()
	return j.queued
}

// wait returns once the writes of ticket t are committed, with the
// writer's error, if any.
func (j *journal) wait(t uint64) error {
	if j == nil || t == 0 {
		return nil
	}
	j.mu.Lock()
	defer j.mu.Unlock()
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
		for len(j.pending) == 0 && !j.closing {
			j.cond.Wait()
		}
		if len(j.pending) == 0 {
			j.mu.Unlock()
			return
		}
		batch, upTo := j.pending, j.queued
		j.pending = nil
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
