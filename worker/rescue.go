package worker

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/stepwire/stepwire/internal/hop"
	"github.com/stepwire/stepwire/internal/jobwire"
)

// errWorkerPanic is the cancel cause of a job whose worker goroutine
// panicked.
var errWorkerPanic = errors.New("worker panicked")

// rescue is deferred by every goroutine the worker starts, and by onPublish,
// which runs on paho's: it keeps a panic caused by one message from ending
// the process. It logs the panic and, when r is a job whose outcome has not
// been reported, cancels the job and publishes a WorkerPanic failure for it,
// from a new goroutine when async (on paho's receive goroutine, which must
// not wait for a PUBACK). It must be called directly by defer.
func (w *Worker) rescue(where string, job jobwire.Job, r *running, async bool) {
	v := recover()
	if v == nil {
		return
	}
	w.logSafely("worker panicked "+where, hop.TokenRefKey, hop.TokenRef(job.TaskToken), "jobId", job.JobID,
		"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
	if r == nil {
		return
	}
	r.cancel(errWorkerPanic)
	w.jobs.remove(r)
	if !r.claimReport() {
		return
	}
	fail := &JobError{Name: FailureWorkerPanic, Cause: fmt.Sprintf("worker panicked %s: %v", where, v)}
	if async {
		w.busy.Add(1)
		go func() {
			defer w.busy.Add(-1)
			w.publishFailure(job, fail)
		}()
		return
	}
	w.publishFailure(job, fail)
}

// publishFailure publishes fail for job without a hop line: it runs after a
// panic, whose source may be the logger itself.
func (w *Worker) publishFailure(job jobwire.Job, fail *JobError) {
	defer w.rescue("publishing a failure", job, nil, false)
	payload, _ := outcome(job.TaskToken, nil, fail)
	if err := w.publish(context.Background(), payload); err != nil {
		w.logSafely("publishing job failure failed", hop.TokenRefKey, hop.TokenRef(job.TaskToken), "jobId", job.JobID, "err", err)
	}
}

// logSafely logs an error, surviving a logger that panics.
func (w *Worker) logSafely(msg string, args ...any) {
	defer func() { _ = recover() }()
	w.logger.Error(msg, args...)
}
