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
	execution string // the job's executionArn, "" when it has none
	cancel    context.CancelCauseFunc
	// reported is set by whoever publishes the job's outcome, so a job
	// reports once even when a panic and the handler race to report it.
	reported atomic.Bool
}

// claimReport returns true the first time it is called.
func (r *running) claimReport() bool { return r.reported.CompareAndSwap(false, true) }

// jobTable finds running jobs by task token, job id and execution ARN,
// for cancel messages and to ignore a redelivered job that is still
// running.
type jobTable struct {
	mu      sync.Mutex
	byToken map[string]*running
	byID    map[string]*running
	byExec  map[string]map[*running]struct{} // an execution may have several jobs
}

func newJobTable() jobTable {
	return jobTable{byToken: map[string]*running{}, byID: map[string]*running{}, byExec: map[string]map[*running]struct{}{}}
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
	if r.execution != "" {
		if t.byExec[r.execution] == nil {
			t.byExec[r.execution] = map[*running]struct{}{}
		}
		t.byExec[r.execution][r] = struct{}{}
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
	if jobs := t.byExec[r.execution]; jobs != nil {
		delete(jobs, r)
		if len(jobs) == 0 {
			delete(t.byExec, r.execution)
		}
	}
}

// cancel cancels the jobs c names by token, job id or execution ARN, with
// cause, and returns how many; none when the jobs are unknown or finished.
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
	if c.ExecutionArn != "" {
		for r := range t.byExec[c.ExecutionArn] {
			found[r] = true
		}
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
