package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/stepwire/stepwire/internal/hop"
	"github.com/stepwire/stepwire/internal/jobwire"
)

// cancelledError is the cancel cause of a job stopped by a cancel message.
type cancelledError struct{ reason string }

func (e *cancelledError) Error() string {
	if e.reason == "" {
		return "job cancelled"
	}
	return "job cancelled: " + e.reason
}

// MaxHeartbeatSeconds is the largest heartbeat interval a job may ask for,
// the ASL maximum of a Task's HeartbeatSeconds.
const MaxHeartbeatSeconds = jobwire.MaxHeartbeatSeconds

// onJob decodes a job and offers it to run (see admission.go). It runs on
// paho's receive goroutine, so it never waits for a publish.
func (w *Worker) onJob(in inbound) {
	// Busy before Received, so an observer that sees the message received
	// also sees the job busy. Whoever takes the job on (offer, goReport)
	// takes over this unit of Busy.
	w.busy.Add(1)
	w.received.Add(1)
	if w.isStopping() {
		w.withhold(1) // before decoding: a job left to the broker is not looked at
		return
	}
	job, rejection, ok := w.decode(in.payload)
	switch {
	case !ok:
		in.ack()
		w.busy.Add(-1)
	case rejection != nil:
		in.ack()
		w.reject(job, rejection)
	case !w.logReceived(job):
		in.ack()
		w.busy.Add(-1)
	default:
		w.offer(in, job)
	}
}

// decode reads a job message with jobwire.ParseJob. ok is false for a
// message to drop; a rejection is the failure to report for a job that
// names its task but cannot run (a bad field, a later contract version),
// so that its task fails now rather than time out.
func (w *Worker) decode(payload []byte) (job jobwire.Job, rejection *JobError, ok bool) {
	job, err := jobwire.ParseJob(payload)
	switch {
	case err == nil:
		return job, nil, true
	case job.TaskToken == "":
		w.logger.Warn("dropping job message", "err", err, "size", len(payload))
		return job, nil, false
	default:
		w.logger.Warn("rejecting job", hop.TokenRefKey, hop.TokenRef(job.TaskToken), "err", err)
		return job, &JobError{Name: FailureInvalidJob, Cause: jobwire.Reason(err)}, true
	}
}

// reject reports a job that cannot run, once. It takes over the caller's
// unit of Busy.
func (w *Worker) reject(job jobwire.Job, rejection *JobError) {
	w.mu.Lock()
	first := w.recent.add(keyOf(job))
	w.mu.Unlock()
	if !first {
		w.busy.Add(-1)
		return
	}
	w.goReport(job, &running{token: job.TaskToken, id: job.JobID, cancel: func(error) {}}, nil, rejection)
}

// logReceived logs the job's worker-received hop. A panic there (in the
// logger) becomes a WorkerPanic failure for the job, and false.
func (w *Worker) logReceived(job jobwire.Job) (ok bool) {
	defer w.rescue("receiving the job", job, &running{token: job.TaskToken, id: job.JobID, cancel: func(error) {}}, true)
	if !hop.Enabled(context.Background(), w.logger) {
		return true // no logger of the job to build, no token to hash
	}
	log := w.logger.With(hop.TokenRefKey, hop.TokenRef(job.TaskToken), "jobId", job.JobID, "jobType", job.JobType)
	hop.Log(context.Background(), log, "worker-received")
	return true
}

func (w *Worker) isStopping() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stopping
}

// goReport publishes a job's outcome from a goroutine of its own: paho's
// receive goroutine, which calls onJob, also reads the PUBACK. Unless the
// worker is stopping, Run waits for the report. The caller hands over the
// job's unit of Busy.
func (w *Worker) goReport(job jobwire.Job, r *running, result json.RawMessage, err error) {
	w.mu.Lock()
	track := !w.stopping
	if track {
		w.wg.Add(1)
	}
	w.mu.Unlock()
	go func() {
		defer w.busy.Add(-1)
		if track {
			defer w.wg.Done()
		}
		defer w.rescue("reporting the job", job, r, false)
		w.report(context.Background(), job, r, result, err)
	}()
}

// onCancel cancels the jobs a cancel message names, running or waiting in
// line.
func (w *Worker) onCancel(payload []byte) {
	c, err := jobwire.ParseCancel(payload)
	if err != nil {
		w.logger.Warn("dropping control message", "err", err, "size", len(payload))
		return
	}
	ce := &cancelledError{reason: c.Reason}
	n := w.jobs.cancel(c, ce)
	queued := w.cancelWaiting(c, ce)
	w.logger.Info("cancel received", hop.TokenRefKey, hop.TokenRef(c.TaskToken), "jobId", c.JobID,
		"executionArn", c.ExecutionArn, "cancelled", n, "cancelledInLine", queued)
}

// runJob runs one job with heartbeats and publishes its outcome.
func (w *Worker) runJob(ctx context.Context, job jobwire.Job, r *running) {
	defer w.busy.Add(-1)
	defer w.wg.Done()
	defer w.release()
	defer w.jobs.remove(r)
	defer r.cancel(nil)
	defer w.rescue("running the job", job, r, false)
	rep := newReporter(w, job)
	defer rep.progress.close(context.WithoutCancel(ctx)) // after the outcome: clears the job's progress

	stop := w.startHeartbeats(ctx, job, r, rep)
	result, err := w.call(rep.attach(ctx), job)
	stop()
	if err != nil && ctx.Err() != nil && !isJobError(err) {
		err = cancelFailure(context.Cause(ctx))
	}
	w.report(context.WithoutCancel(ctx), job, r, result, err)
}

// call runs the handler, turning a panic into a failure.
func (w *Worker) call(ctx context.Context, job jobwire.Job) (result json.RawMessage, err error) {
	defer func() {
		if v := recover(); v != nil {
			w.logger.Error("job handler panicked", hop.TokenRefKey, hop.TokenRef(job.TaskToken), "panic", v, "stack", string(debug.Stack()))
			result, err = nil, &JobError{Name: FailureHandlerPanic, Cause: fmt.Sprintf("handler panicked: %v", v)}
		}
	}()
	return w.h.Handle(ctx, job)
}

// report publishes a job's success or failure, unless its outcome has been
// reported already (after a panic in the worker around the job).
func (w *Worker) report(ctx context.Context, job jobwire.Job, r *running, result json.RawMessage, err error) {
	if !r.claimReport() {
		w.logger.Debug("job outcome already reported", hop.TokenRefKey, hop.TokenRef(job.TaskToken), "jobId", job.JobID)
		return
	}
	payload, kind := outcome(job.TaskToken, result, err)
	w.send(ctx, job, payload, kind)
}

// send logs the hop and reports one message about job through the
// worker's sink (report.go).
func (w *Worker) send(ctx context.Context, job jobwire.Job, payload []byte, kind jobwire.Kind) {
	log := func() *slog.Logger {
		return w.logger.With(hop.TokenRefKey, hop.TokenRef(job.TaskToken), "jobId", job.JobID, "kind", string(kind))
	}
	if hop.Enabled(ctx, w.logger) {
		hop.Log(ctx, log(), "worker-publish")
	}
	if err := w.out.send(ctx, payload); err != nil {
		log().Error("reporting job message failed", "err", err)
	}
}

// outcome encodes the message that reports a job's result or error.
func outcome(token string, result json.RawMessage, err error) ([]byte, jobwire.Kind) {
	if err == nil {
		if result == nil {
			result = json.RawMessage("null")
		}
		msg, merr := jobwire.Success(token, result)
		if merr == nil {
			return msg, jobwire.KindSuccess
		}
		err = &JobError{Name: FailureInvalidResult, Cause: fmt.Sprintf("handler returned a result that is not JSON: %v", merr)}
	}
	name, cause := FailureJobFailed, err.Error()
	var je *JobError
	if errors.As(err, &je) {
		name, cause = je.Name, je.Cause
	}
	msg, merr := jobwire.Failure(token, name, cause)
	if merr != nil { // unreachable: strings always encode
		panic(merr)
	}
	return msg, jobwire.KindFailure
}

// cancelFailure names the failure of a job whose context was cancelled.
func cancelFailure(cause error) error {
	var ce *cancelledError
	if errors.As(cause, &ce) {
		return &JobError{Name: FailureJobCancelled, Cause: ce.Error()}
	}
	return &JobError{Name: FailureWorkerShutdown, Cause: errShutdown.Error()}
}

func isJobError(err error) bool {
	var je *JobError
	return errors.As(err, &je)
}

// heartbeatInterval is how often a job that asks for heartbeats at least
// every seconds sends one: a third of that. ok is false for no heartbeats
// (seconds <= 0) and for intervals above MaxHeartbeatSeconds, which onJob
// rejects; within those bounds the arithmetic cannot overflow.
func heartbeatInterval(seconds int) (d time.Duration, ok bool) {
	if seconds <= 0 || seconds > MaxHeartbeatSeconds {
		return 0, false
	}
	return time.Duration(seconds) * time.Second / 3, true
}

// startHeartbeats sends heartbeats at a third of the job's heartbeat interval
// until the returned stop function is called. It sends them even while the
// job reports progress, which also counts as a heartbeat, so that a
// deployment whose template lacks the progress rule still keeps its tasks.
// It sends none under Config.NoHeartbeats, and none after the handler has
// called StopHeartbeats.
func (w *Worker) startHeartbeats(ctx context.Context, job jobwire.Job, r *running, rep *reporter) (stop func()) {
	interval, ok := heartbeatInterval(job.HeartbeatSeconds)
	if !ok || w.cfg.NoHeartbeats {
		return func() {}
	}
	return inBackground(ctx, func(ctx context.Context) {
		defer w.rescue("sending heartbeats", job, r, false)
		beatEvery(ctx, w.cfg.Clock, interval, rep, func() bool {
			if msg, err := jobwire.Heartbeat(job.TaskToken); err == nil {
				w.send(ctx, job, msg, jobwire.KindHeartbeat)
			}
			return true
		})
	})
}
