package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepwire/stepwire/internal/clock"
	"github.com/stepwire/stepwire/internal/hop"
	"github.com/stepwire/stepwire/internal/jobwire"
	"github.com/stepwire/stepwire/internal/sfncallback"
)

// An activity worker is the other way a worker takes jobs: instead of an
// MQTT subscription, it long-polls Step Functions' GetActivityTask for a
// Task state whose Resource is an activity ARN, and answers with
// SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat (outbound HTTPS
// only, AWS credentials instead of a certificate). It runs the same
// Handlers, with the same heartbeats, progress (each report is a
// SendTaskHeartbeat), failures, drain and shutdown as the MQTT worker.
//
// An activity task's input is the Task state's input (or its Parameters).
// When that is an object with an "Input" field, it is read as the job
// envelope the dispatch Lambda publishes over MQTT (internal/jobwire),
// without the token: {"Input": ..., "jobType": ..., "jobId": ...,
// "heartbeatSeconds": ..., "executionArn": ...}, so one state machine can
// move between the two kinds of worker by changing its Resource. Any other
// input is the job's Input as is.
//
// There is no cancel message: a job learns that its task has ended (the
// execution stopped or timed out) when a heartbeat is refused as
// TaskTimedOut, InvalidToken or TaskDoesNotExist, and is then cancelled.

// ActivityAPI is the part of the Step Functions client an activity worker
// calls; *sfn.Client has it.
type ActivityAPI interface {
	sfncallback.SFN
	GetActivityTask(ctx context.Context, in *sfn.GetActivityTaskInput, optFns ...func(*sfn.Options)) (*sfn.GetActivityTaskOutput, error)
}

var _ ActivityAPI = (*sfn.Client)(nil)

// Limits of an activity worker's polling: after a failed GetActivityTask
// it waits activityRetryMin, doubling up to activityRetryMax, on its clock.
const (
	activityRetryMin = time.Second
	activityRetryMax = 30 * time.Second
)

// ActivityConfig configures an activity worker.
type ActivityConfig struct {
	// ActivityArn is the activity to poll.
	ActivityArn string
	// WorkerName is GetActivityTask's workerName, which the execution
	// history shows in ActivityStarted.
	WorkerName string
	// SFN is the Step Functions client.
	SFN ActivityAPI
	// HeartbeatSeconds asks for heartbeats on the tasks whose input does
	// not say (0: none). A job's own heartbeatSeconds wins.
	HeartbeatSeconds int
	// NoHeartbeats sends no heartbeats at all (as Config.NoHeartbeats).
	NoHeartbeats bool
	// MaxConcurrent is how many jobs run at once: the worker polls only
	// while it has a free slot (0: DefaultMaxConcurrent).
	MaxConcurrent int
	// DrainTimeout and ShutdownTimeout are as in Config (0: defaults).
	DrainTimeout, ShutdownTimeout time.Duration
	// CallTimeout bounds one SendTask* call, on the wall clock (0:
	// DefaultPublishTimeout).
	CallTimeout time.Duration
	// Clock arms the waits on time: heartbeats, drain and shutdown, the
	// pause after a failed poll (nil: clock.Real).
	Clock clock.Clock
}

func (c ActivityConfig) withDefaults() ActivityConfig {
	if c.MaxConcurrent == 0 {
		c.MaxConcurrent = DefaultMaxConcurrent
	}
	if c.DrainTimeout == 0 {
		c.DrainTimeout = DefaultDrainTimeout
	}
	if c.ShutdownTimeout == 0 {
		c.ShutdownTimeout = DefaultShutdownTimeout
	}
	if c.CallTimeout == 0 {
		c.CallTimeout = DefaultPublishTimeout
	}
	if c.Clock == nil {
		c.Clock = clock.Real{}
	}
	return c
}

// ActivityWorker polls an activity and runs its tasks. Create it with
// NewActivity and start it with Run; it runs once.
type ActivityWorker struct {
	cfg    ActivityConfig
	h      Handler
	logger *slog.Logger

	ready     chan struct{}
	readyOnce sync.Once
	drainReq  chan struct{}
	drainOnce sync.Once

	jobsCtx  context.Context
	stopJobs context.CancelCauseFunc
	wg       sync.WaitGroup
	slots    chan struct{}

	busy, calls, polling atomic.Int64
	received, sent       atomic.Uint64
}

// NewActivity checks cfg. A nil logger means slog.Default.
func NewActivity(cfg ActivityConfig, h Handler, logger *slog.Logger) (*ActivityWorker, error) {
	switch {
	case h == nil:
		return nil, errors.New("activity worker: nil handler")
	case cfg.ActivityArn == "":
		return nil, errors.New("activity worker: no activity ARN")
	case cfg.SFN == nil:
		return nil, errors.New("activity worker: no Step Functions client")
	case cfg.MaxConcurrent < 0 || cfg.DrainTimeout < 0 || cfg.HeartbeatSeconds < 0:
		return nil, errors.New("activity worker: max concurrent jobs, drain timeout and heartbeat seconds must not be negative")
	case cfg.HeartbeatSeconds > MaxHeartbeatSeconds:
		return nil, fmt.Errorf("activity worker: heartbeat seconds %d is above the maximum %d", cfg.HeartbeatSeconds, MaxHeartbeatSeconds)
	}
	cfg = cfg.withDefaults()
	return &ActivityWorker{cfg: cfg, h: h, logger: hop.OrDefault(logger).With("activityArn", cfg.ActivityArn, "workerName", cfg.WorkerName),
		ready: make(chan struct{}), drainReq: make(chan struct{}), slots: make(chan struct{}, cfg.MaxConcurrent)}, nil
}

// Ready is closed when the worker starts polling.
func (w *ActivityWorker) Ready() <-chan struct{} { return w.ready }

// Drain starts a graceful drain, as Worker.Drain: no more polls, running
// jobs may finish for DrainTimeout, then they fail with
// Worker.ShuttingDown and Run returns.
func (w *ActivityWorker) Drain() { w.drainOnce.Do(func() { close(w.drainReq) }) }

// Busy returns the jobs taken and not yet answered, handlers blocked
// included.
func (w *ActivityWorker) Busy() int { return int(w.busy.Load()) }

// Received returns how many tasks GetActivityTask has handed the worker.
func (w *ActivityWorker) Received() uint64 { return w.received.Load() }

// Published returns how many SendTask* calls have returned (answered or
// refused): outcomes, heartbeats and progress.
func (w *ActivityWorker) Published() uint64 { return w.sent.Load() }

// Calls returns the SendTask* calls in flight.
func (w *ActivityWorker) Calls() int { return int(w.calls.Load()) }

// Polling returns the GetActivityTask calls in flight. A task they are
// handed counts in Busy before it leaves Polling.
func (w *ActivityWorker) Polling() int { return int(w.polling.Load()) }

// Run polls until ctx is cancelled or a drain ends, then cancels the jobs
// still running (they fail with Worker.ShuttingDown) and waits up to
// ShutdownTimeout for them to report.
func (w *ActivityWorker) Run(ctx context.Context) error {
	base := context.WithoutCancel(ctx)
	w.jobsCtx, w.stopJobs = context.WithCancelCause(base)
	pollCtx, stopPolling := context.WithCancel(ctx)
	defer stopPolling()
	drained := make(chan struct{})
	go func() {
		select {
		case <-w.drainReq:
			close(drained)
			stopPolling()
		case <-pollCtx.Done():
		}
	}()
	w.logger.InfoContext(ctx, "activity worker started", "maxConcurrent", w.cfg.MaxConcurrent)
	w.readyOnce.Do(func() { close(w.ready) })
	w.poll(pollCtx)
	select {
	case <-drained:
		if ctx.Err() == nil {
			w.drain(ctx)
		}
	default:
	}
	w.stopJobs(errShutdown)
	if !w.waitJobs(nil, w.cfg.ShutdownTimeout) {
		w.logger.Warn("jobs still running at shutdown", "running", w.Busy())
	}
	w.logger.Info("activity worker stopped")
	return nil
}

func (w *ActivityWorker) drain(ctx context.Context) {
	w.logger.Info("draining: taking no more jobs", "running", w.Busy(), "drainTimeout", w.cfg.DrainTimeout)
	switch {
	case w.waitJobs(ctx.Done(), w.cfg.DrainTimeout):
		w.logger.Info("drained: every running job finished")
	case ctx.Err() != nil:
		w.logger.Warn("drain interrupted; cancelling running jobs", "running", w.Busy())
	default:
		w.logger.Warn("drain timed out; cancelling running jobs", "running", w.Busy())
	}
}

// waitJobs waits for the running jobs, for at most d on the worker's
// clock or until abort is closed, and reports whether they are done.
func (w *ActivityWorker) waitJobs(abort <-chan struct{}, d time.Duration) bool {
	return waitWithin(w.wg.Wait, w.cfg.Clock, d, abort)
}

// poll takes tasks while it has free slots, until ctx ends.
func (w *ActivityWorker) poll(ctx context.Context) {
	retry := time.Duration(0)
	for {
		select {
		case w.slots <- struct{}{}:
		case <-ctx.Done():
			return
		}
		w.polling.Add(1)
		out, err := w.cfg.SFN.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: aws.String(w.cfg.ActivityArn),
			WorkerName: optionalString(w.cfg.WorkerName)})
		if err != nil || out == nil || aws.ToString(out.TaskToken) == "" {
			w.polling.Add(-1)
			<-w.slots
			if ctx.Err() != nil {
				return
			}
			if err == nil {
				retry = 0
				continue // the poll expired with no task
			}
			retry = min(max(2*retry, activityRetryMin), activityRetryMax)
			w.logger.Warn("GetActivityTask failed; polling again later", "err", err, "retryIn", retry)
			if !w.pause(ctx, retry) {
				return
			}
			continue
		}
		retry = 0
		w.busy.Add(1) // before polling ends, so the task is never unaccounted for
		w.received.Add(1)
		w.polling.Add(-1)
		w.wg.Add(1)
		go w.runTask(aws.ToString(out.TaskToken), aws.ToString(out.Input))
	}
}

// pause waits d on the worker's clock; false when ctx ended first.
func (w *ActivityWorker) pause(ctx context.Context, d time.Duration) bool {
	elapsed := make(chan struct{})
	t := w.cfg.Clock.AfterFunc(d, func() { close(elapsed) })
	defer t.Stop()
	select {
	case <-elapsed:
		return true
	case <-ctx.Done():
		return false
	}
}

func optionalString(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

// ActivityJob reads an activity task as a job: the envelope of the MQTT
// job contract when the input is an object with an "Input" field, else
// the input itself; a job that names no heartbeatSeconds gets
// defaultHeartbeat. A non-nil error is the job's rejection: a field of the
// envelope that cannot be used.
func ActivityJob(token, input string, defaultHeartbeat int) (jobwire.Job, error) {
	job := jobwire.Job{Input: json.RawMessage(input)}
	var probe map[string]json.RawMessage
	if json.Unmarshal([]byte(input), &probe) == nil && probe["Input"] != nil {
		if err := json.Unmarshal([]byte(input), &job); err != nil {
			job = jobwire.Job{Input: json.RawMessage(input), TaskToken: token}
			return job, fmt.Errorf("%w: %v", jobwire.ErrField, err)
		}
	}
	if len(job.Input) == 0 {
		job.Input = json.RawMessage("null")
	}
	job.TaskToken = token
	if job.HeartbeatSeconds == 0 {
		job.HeartbeatSeconds = defaultHeartbeat
	}
	return job, job.Validate()
}

// runTask runs one task: the handler with heartbeats and progress, then
// its outcome. It holds a slot and a unit of Busy, which it gives back.
func (w *ActivityWorker) runTask(token, input string) {
	defer w.wg.Done()
	defer w.busy.Add(-1)
	defer func() { <-w.slots }()
	job, err := ActivityJob(token, input, w.cfg.HeartbeatSeconds)
	log := w.logger.With(hop.TokenRefKey, hop.TokenRef(token), "jobId", job.JobID, "jobType", job.JobType)
	hop.Log(context.Background(), log, "worker-received")
	if err != nil {
		log.Warn("rejecting job", "err", err)
		w.answer(job, nil, &JobError{Name: FailureInvalidJob, Cause: jobwire.Reason(err)})
		return
	}
	ctx, cancel := context.WithCancelCause(w.jobsCtx)
	defer cancel(nil)
	rep := &reporter{job: job, clock: w.cfg.Clock}
	rep.progress = newProgressSender(w.cfg.Clock, ProgressInterval, func(ctx context.Context, payload []byte) error {
		if len(payload) == 0 {
			return nil // nothing retained to clear: a progress report is a heartbeat here
		}
		hop.Log(ctx, log, "worker-publish", "kind", string(jobwire.KindProgress))
		_, err := w.call(ctx, payload)
		return err
	}, func(err error) { log.Warn("reporting job progress failed", "err", err) })
	stop := w.startHeartbeats(ctx, job, rep, cancel, log)
	result, err := w.handle(rep.attach(ctx), job, log)
	stop()
	rep.progress.close(context.WithoutCancel(ctx))
	if err != nil && ctx.Err() != nil && !isJobError(err) {
		err = cancelFailure(context.Cause(ctx))
	}
	w.answer(job, result, err)
}

// handle runs the handler, turning a panic into a failure.
func (w *ActivityWorker) handle(ctx context.Context, job jobwire.Job, log *slog.Logger) (result json.RawMessage, err error) {
	defer func() {
		if v := recover(); v != nil {
			log.Error("job handler panicked", "panic", v, "stack", string(debug.Stack()))
			result, err = nil, &JobError{Name: FailureHandlerPanic, Cause: fmt.Sprintf("handler panicked: %v", v)}
		}
	}()
	return w.h.Handle(ctx, job)
}

// answer sends a job's success or failure.
func (w *ActivityWorker) answer(job jobwire.Job, result json.RawMessage, err error) {
	payload, kind := outcome(job.TaskToken, result, err)
	log := w.logger.With(hop.TokenRefKey, hop.TokenRef(job.TaskToken), "jobId", job.JobID, "kind", string(kind))
	hop.Log(context.Background(), log, "worker-publish")
	if _, err := w.call(context.Background(), payload); err != nil && !sfncallback.TaskGone(err) {
		log.Error("reporting job message failed", "err", err)
	}
}

// call makes the SendTask* call a job message asks for. A task that is
// gone is logged; the error is returned either way.
func (w *ActivityWorker) call(ctx context.Context, payload []byte) (string, error) {
	w.calls.Add(1)
	defer w.calls.Add(-1)
	defer w.sent.Add(1)
	r, err := jobwire.ParseResult(payload)
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, w.cfg.CallTimeout)
	defer cancel()
	op, err := sfncallback.Send(ctx, w.cfg.SFN, r)
	if sfncallback.TaskGone(err) {
		w.logger.Warn("task is gone; dropping report", "op", op, hop.TokenRefKey, hop.TokenRef(r.TaskToken), "err", err)
	}
	return op, err
}

// startHeartbeats sends SendTaskHeartbeat at a third of the job's
// heartbeat interval until stop is called. A heartbeat refused because the
// task is gone cancels the job: that is how an activity worker hears of a
// stopped or timed-out execution.
func (w *ActivityWorker) startHeartbeats(ctx context.Context, job jobwire.Job, rep *reporter, cancel context.CancelCauseFunc, log *slog.Logger) (stop func()) {
	interval, ok := heartbeatInterval(job.HeartbeatSeconds)
	if !ok || w.cfg.NoHeartbeats {
		return func() {}
	}
	return inBackground(ctx, func(ctx context.Context) {
		beatEvery(ctx, w.cfg.Clock, interval, rep, func() bool {
			msg, err := jobwire.Heartbeat(job.TaskToken)
			if err != nil {
				return false
			}
			hop.Log(ctx, log, "worker-publish", "kind", string(jobwire.KindHeartbeat))
			if _, err := w.call(ctx, msg); sfncallback.TaskGone(err) {
				log.Info("cancel received", "reason", "the task is gone", "err", err)
				cancel(&cancelledError{reason: "the task is gone: " + err.Error()})
				return false
			}
			return true
		})
	})
}
