package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

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

// onJob decodes a job and starts it in its own goroutine.
func (w *Worker) onJob(payload []byte) {
	var job jobwire.Job
	if err := json.Unmarshal(payload, &job); err != nil {
		w.logger.Warn("dropping job message that is not a JSON object", "err", err, "size", len(payload))
		return
	}
	if job.TaskToken == "" {
		w.logger.Warn("dropping job message without TaskToken", "jobId", job.JobID)
		return
	}
	log := w.logger.With("tokenRef", tokenRef(job.TaskToken), "jobId", job.JobID, "jobType", job.JobType)
	log.Info(hopMessage, "hop", "worker-received")

	ctx, cancel := context.WithCancelCause(w.jobsCtx)
	r := &running{token: job.TaskToken, id: job.JobID, cancel: cancel}
	if !w.jobs.add(r) {
		cancel(nil)
		log.Warn("job with this task token is already running; ignoring the redelivery")
		return
	}
	w.mu.Lock()
	if w.stopping {
		w.mu.Unlock()
		w.jobs.remove(r)
		cancel(nil)
		// Not on this goroutine: paho's reader waits for it, PUBACKs included.
		go w.report(context.Background(), job, nil, &JobError{Name: ErrNameWorkerShutdown, Cause: errShutdown.Error()})
		return
	}
	w.wg.Add(1)
	w.mu.Unlock()
	go w.runJob(ctx, job, r)
}

// onCancel cancels the running job a cancel message names.
func (w *Worker) onCancel(payload []byte) {
	var c jobwire.Cancel
	if err := json.Unmarshal(payload, &c); err != nil || c.Kind != jobwire.KindCancel {
		w.logger.Warn("dropping control message that is not a cancel", "err", err, "size", len(payload))
		return
	}
	n := w.jobs.cancel(c, &cancelledError{reason: c.Reason})
	w.logger.Info("cancel received", "tokenRef", tokenRef(c.TaskToken), "jobId", c.JobID, "cancelled", n)
}

// runJob runs one job with heartbeats and publishes its outcome.
func (w *Worker) runJob(ctx context.Context, job jobwire.Job, r *running) {
	defer w.wg.Done()
	defer w.jobs.remove(r)
	defer r.cancel(nil)

	stop := w.startHeartbeats(ctx, job)
	result, err := w.call(withReporter(ctx, w, job), job)
	stop()
	if err != nil && ctx.Err() != nil && !isJobError(err) {
		err = cancelFailure(context.Cause(ctx))
	}
	w.report(context.WithoutCancel(ctx), job, result, err)
}

// call runs the handler, turning a panic into a failure.
func (w *Worker) call(ctx context.Context, job jobwire.Job) (result json.RawMessage, err error) {
	defer func() {
		if v := recover(); v != nil {
			w.logger.Error("job handler panicked", "tokenRef", tokenRef(job.TaskToken), "panic", v, "stack", string(debug.Stack()))
			result, err = nil, &JobError{Name: ErrNameHandlerPanic, Cause: fmt.Sprintf("handler panicked: %v", v)}
		}
	}()
	return w.h.Handle(ctx, job)
}

// report publishes a job's success or failure.
func (w *Worker) report(ctx context.Context, job jobwire.Job, result json.RawMessage, err error) {
	payload, kind := outcome(job.TaskToken, result, err)
	w.send(ctx, job, payload, kind)
}

// send logs the hop and publishes one message about job.
func (w *Worker) send(ctx context.Context, job jobwire.Job, payload []byte, kind jobwire.Kind) {
	log := w.logger.With("tokenRef", tokenRef(job.TaskToken), "jobId", job.JobID, "kind", string(kind))
	log.Info(hopMessage, "hop", "worker-publish")
	if err := w.publish(ctx, payload); err != nil {
		log.Error("publishing job message failed", "err", err)
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
		err = &JobError{Name: ErrNameInvalidResult, Cause: fmt.Sprintf("handler returned a result that is not JSON: %v", merr)}
	}
	name, cause := ErrNameJobFailed, err.Error()
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
		return &JobError{Name: ErrNameJobCancelled, Cause: ce.Error()}
	}
	return &JobError{Name: ErrNameWorkerShutdown, Cause: errShutdown.Error()}
}

func isJobError(err error) bool {
	var je *JobError
	return errors.As(err, &je)
}

// startHeartbeats sends heartbeats at a third of the job's heartbeat interval
// until the returned stop function is called.
func (w *Worker) startHeartbeats(ctx context.Context, job jobwire.Job) (stop func()) {
	if job.HeartbeatSeconds <= 0 {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(time.Duration(job.HeartbeatSeconds) * time.Second / 3)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				msg, err := jobwire.Heartbeat(job.TaskToken)
				if err == nil {
					w.send(ctx, job, msg, jobwire.KindHeartbeat)
				}
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}
