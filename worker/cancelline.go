package worker

import (
	"github.com/stepwire/stepwire/internal/jobwire"
)

// cancelWaiting takes the jobs waiting in line (admission.go) that c names
// out of the line: they never start. Each is acknowledged and fails with
// JobCancelled, once, as a running job that c cancels does. It returns how
// many it took.
func (w *Worker) cancelWaiting(c jobwire.Cancel, ce *cancelledError) int {
	w.mu.Lock()
	var hit []waiting
	kept := w.line[:0]
	for _, wt := range w.line {
		if names(c, wt.job) {
			hit = append(hit, wt)
		} else {
			kept = append(kept, wt)
		}
	}
	clear(w.line[len(kept):])
	w.line = kept
	w.mu.Unlock()
	for _, wt := range hit {
		wt.in.ack()
		w.reject(wt.job, &JobError{Name: FailureJobCancelled, Cause: ce.Error()}) // takes over the job's unit of Busy
	}
	return len(hit)
}

// names reports whether c names job, by any of its keys.
func names(c jobwire.Cancel, job jobwire.Job) bool {
	return (c.TaskToken != "" && c.TaskToken == job.TaskToken) ||
		(c.JobID != "" && c.JobID == job.JobID) ||
		(c.ExecutionArn != "" && c.ExecutionArn == job.ExecutionArn)
}
