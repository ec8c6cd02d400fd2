package worker

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/stepwire/stepwire/internal/jobwire"
)

// running is one job in progress.
type running struct {
	token, id string
	cancel    context.CancelCauseFunc
	// reported is set by whoever publishes the job's outcome, so a job
	// reports once even when a panic and the handler race to report it.
	reported atomic.Bool
}

// claimReport returns true the first time it is called.
func (r *running) claimReport() bool { return r.reported.CompareAndSwap(false, true) }

// jobTable finds running jobs by task token and by job id, for cancel
// messages and to ignore a redelivered job that is still running.
type jobTable struct {
	mu      sync.Mutex
	byToken map[string]*running
	byID    map[string]*running
}

func newJobTable() jobTable {
	return jobTable{byToken: map[string]*running{}, byID: map[string]*running{}}
}

// add records a job; it returns false if a job with the same token runs.
func (t *jobTable) add(r *running) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, dup := t.byToken[r.token]; dup {
		return false
	}
	t.byToken[r.token] = r
	if r.id != "" {
		t.byID[r.id] = r
	}
	return true
}

func (t *jobTable) remove(r *running) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.byToken[r.token] == r {
		delete(t.byToken, r.token)
	}
	if r.id != "" && t.byID[r.id] == r {
		delete(t.byID, r.id)
	}
}

// cancel cancels the jobs c names, with cause, and returns how many.
func (t *jobTable) cancel(c jobwire.Cancel, cause error) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	found := map[*running]bool{}
	if r, ok := t.byToken[c.TaskToken]; ok && c.TaskToken != "" {
		found[r] = true
	}
	if r, ok := t.byID[c.JobID]; ok && c.JobID != "" {
		found[r] = true
	}
	for r := range found {
		r.cancel(cause)
	}
	return len(found)
}

func (t *jobTable) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.byToken)
}
