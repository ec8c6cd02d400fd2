package worker

import (
	"context"
	"errors"
	"fmt"

	"github.com/stepwire/stepwire/internal/hop"
	"github.com/stepwire/stepwire/internal/jobwire"
)

// ErrNoJob is returned by ReportProgress when ctx is not a job's context.
var ErrNoJob = errors.New("worker: context carries no job")

type reporterKey struct{}

// reporter publishes messages about one job.
type reporter struct {
	w   *Worker
	job jobwire.Job
}

func withReporter(ctx context.Context, w *Worker, job jobwire.Job) context.Context {
	return context.WithValue(ctx, reporterKey{}, &reporter{w: w, job: job})
}

// ReportProgress publishes a progress message
// {"TaskToken": ..., "kind": "progress", "progress": <progress>} for the job
// whose context a Handler received. It waits for the PUBACK.
func ReportProgress(ctx context.Context, progress any) error {
	r, ok := ctx.Value(reporterKey{}).(*reporter)
	if !ok {
		return ErrNoJob
	}
	msg, err := jobwire.Progress(r.job, progress)
	if err != nil {
		return fmt.Errorf("worker: %w", err)
	}
	if err := r.w.out.send(ctx, msg); err != nil {
		return fmt.Errorf("worker: report progress: %w", err)
	}
	hop.Log(ctx, r.w.logger, "worker-publish", hop.TokenRefKey, hop.TokenRef(r.job.TaskToken),
		"jobId", r.job.JobID, "kind", string(jobwire.KindProgress))
	return nil
}
