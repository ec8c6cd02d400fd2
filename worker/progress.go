package worker

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/stepwire/stepwire/internal/clock"

	"github.com/stepwire/stepwire/internal/hop"
	"github.com/stepwire/stepwire/internal/jobwire"
)

// Progress. A handler reports how far its job is with ReportProgress (any
// JSON) or ReportPercent (a jobwire.ProgressReport). The worker publishes
// the latest report as a retained QoS 1 message on the job's progress
// topic, jobwire.ProgressTopic(SubmitTopic, job), so that a reader that
// arrives late (stepwire progress, stepwire run) still sees it, and clears
// it with an empty retained publish once the job has ended. Through the
// template's progress topic rule, a progress message also reaches the
// complete Lambda as a heartbeat.
//
// Reports are coalesced (progresssender.go): at most one publish per job
// is in flight, at most one every ProgressInterval, and the latest report
// wins, so a handler may report from a hot loop.

var (
	// ErrNoJob is returned by ReportProgress when ctx is not a job's context.
	ErrNoJob = errors.New("worker: context carries no job")
	// ErrJobEnded is returned by ReportProgress once the job has ended.
	ErrJobEnded = errors.New("worker: the job has ended")
)

type reporterKey struct{}

// reporter publishes messages about one job.
type reporter struct {
	job      jobwire.Job
	clock    clock.Clock
	progress *progressSender
	// quiet is set by StopHeartbeats: the job's heartbeats stop.
	quiet atomic.Bool
}

func withReporter(ctx context.Context, w *Worker, job jobwire.Job) context.Context {
	return newReporter(w, job).attach(ctx)
}

// attach returns ctx carrying r, for the job's handler.
func (r *reporter) attach(ctx context.Context) context.Context {
	return context.WithValue(ctx, reporterKey{}, r)
}

func newReporter(w *Worker, job jobwire.Job) *reporter {
	send := func(ctx context.Context, payload []byte) (err error) {
		err = errWorkerPanic // unless publishTo returns
		defer w.rescue("publishing progress", job, nil, false)
		// The topic is made here, not for every job: most report no progress.
		err = w.publishTo(ctx, jobwire.ProgressTopic(w.cfg.SubmitTopic, job), payload, true)
		if err != nil || len(payload) == 0 {
			return err
		}
		if hop.Enabled(ctx, w.logger) {
			hop.Log(ctx, w.logger, "worker-publish", hop.TokenRefKey, hop.TokenRef(job.TaskToken),
				"jobId", job.JobID, "kind", string(jobwire.KindProgress))
		}
		if _, direct := w.out.(directSink); direct {
			// Reporting direct, the worker is its own heartbeat path:
			// the report is also a SendTaskHeartbeat.
			return w.out.send(ctx, payload)
		}
		return nil
	}
	onErr := func(err error) {
		w.logger.Warn("publishing job progress failed", hop.TokenRefKey, hop.TokenRef(job.TaskToken), "err", err)
	}
	return &reporter{job: job, clock: w.cfg.Clock, progress: newProgressSender(w.cfg.Clock, ProgressInterval, send, onErr)}
}

func reporterOf(ctx context.Context) (*reporter, bool) {
	r, ok := ctx.Value(reporterKey{}).(*reporter)
	return r, ok
}

// ReportProgress reports the progress of the job whose context a Handler
// received: {"TaskToken": ..., "kind": "progress", "progress": <progress>,
// "executionArn": ..., "jobId": ...}, retained on the job's progress topic.
// By convention progress is a jobwire.ProgressReport, which is validated
// first. ReportProgress does not wait for the broker: the report is
// published in the background, coalesced with later ones (latest wins),
// at most once every ProgressInterval. It returns ErrNoJob outside a job
// and ErrJobEnded after the handler has returned.
func ReportProgress(ctx context.Context, progress any) error {
	r, ok := reporterOf(ctx)
	if !ok {
		return ErrNoJob
	}
	msg, err := jobwire.Progress(r.job, progress)
	if err != nil {
		return fmt.Errorf("worker: %w", err)
	}
	return r.progress.offer(msg)
}

// ReportPercent reports percent (0 to 100) done and a message, as a
// jobwire.ProgressReport, with ReportProgress.
func ReportPercent(ctx context.Context, percent float64, message string) error {
	return ReportProgress(ctx, jobwire.ProgressReport{Percent: &percent, Message: message})
}

// StopHeartbeats stops the heartbeats of the job whose context a Handler
// received, though the job asked for them (HeartbeatSeconds): from now on
// the task hears nothing from this worker but its progress reports and
// its outcome, and times out HeartbeatSeconds after the last of them. It
// is for tests of what a task does when its worker goes quiet; a
// worker-wide switch is Config.NoHeartbeats. It returns ErrNoJob outside a
// job.
func StopHeartbeats(ctx context.Context) error {
	r, ok := reporterOf(ctx)
	if !ok {
		return ErrNoJob
	}
	r.quiet.Store(true)
	return nil
}
