package worker

import (
	"context"
	"time"

	"github.com/stepwire/stepwire/internal/clock"
)

// Graceful drain, for a worker asked to stop (SIGTERM from a process
// manager, a rolling update):
//
//  1. Drain: the worker takes no more jobs. It stays subscribed and
//     connected, but acknowledges no more job messages, so the jobs that
//     arrive, or wait in line, stay in its persistent session for the
//     broker to deliver again when the worker is back (admission.go).
//  2. Running jobs may finish, for up to Config.DrainTimeout on
//     Config.Clock; they publish their outcomes as usual.
//  3. The jobs still running then are cancelled and fail with
//     Worker.ShuttingDown (FailureWorkerShutdown), which a state machine
//     retries with "ErrorEquals": ["Worker.ShuttingDown"]; the retry is a
//     new dispatch, taken by whichever worker is up.
//  4. The worker disconnects cleanly (DISCONNECT, reason 0: the session and
//     its queued jobs stay) and Run returns.
//
// Cancelling Run's context stops at once: during a drain it skips to step
// 3; without a drain it is steps 3 and 4 alone. A binary therefore calls
// Drain on the first signal and cancels the context on the second, as
// cmd/stepwire-worker does.

// Drain starts a graceful drain: Run returns once the running jobs have
// finished or Config.DrainTimeout has passed, whichever comes first. Drain
// does not wait; it may be called more than once, and before Run.
func (w *Worker) Drain() {
	w.drainOnce.Do(func() { close(w.drainReq) })
}

// drain takes no more jobs and waits for the running ones, up to
// Config.DrainTimeout or until ctx is done.
func (w *Worker) drain(ctx context.Context) {
	w.stopTaking()
	w.logger.Info("draining: taking no more jobs", "running", w.jobs.len(), "drainTimeout", w.cfg.DrainTimeout)
	if w.waitJobs(ctx.Done(), w.cfg.DrainTimeout) {
		w.logger.Info("drained: every running job finished")
		return
	}
	if ctx.Err() != nil {
		w.logger.Warn("drain interrupted; cancelling running jobs", "running", w.jobs.len())
		return
	}
	w.logger.Warn("drain timed out; cancelling running jobs", "running", w.jobs.len())
}

// waitJobs waits until the running jobs and tracked reports are done, for
// at most d on the worker's clock or until abort is closed. It reports
// whether they are done.
func (w *Worker) waitJobs(abort <-chan struct{}, d time.Duration) bool {
	return waitWithin(w.wg.Wait, w.cfg.Clock, d, abort)
}

// waitWithin runs wait on a goroutine of its own and reports whether it
// returned within d on clk, before abort was closed.
func waitWithin(wait func(), clk clock.Clock, d time.Duration, abort <-chan struct{}) bool {
	done := make(chan struct{})
	go func() {
		wait()
		close(done)
	}()
	timeout := make(chan struct{})
	t := clk.AfterFunc(d, func() { close(timeout) })
	defer t.Stop()
	select {
	case <-done:
		return true
	case <-timeout:
	case <-abort:
	}
	return false
}
