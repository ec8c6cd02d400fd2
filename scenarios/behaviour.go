package scenarios

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/stepwire/stepwire/internal/jobwire"
	"github.com/stepwire/stepwire/worker"
)

// handle answers one job as the worker's behaviour for it says.
func (lw *liveWorker) handle(ctx context.Context, job jobwire.Job) (json.RawMessage, error) {
	b := lw.behaviourFor(lw.taken.Add(1), job.JobType)
	r := lw.r
	if r.ip.handler != nil {
		return r.ip.handler.Handle(ctx, job)
	}
	if b.Disconnect != nil {
		if err := r.sleep(ctx, b.Disconnect.After, b.IgnoreCancel); err != nil {
			return nil, err
		}
		if err := lw.cut(); err != nil {
			return nil, err
		}
		r.clk.AfterFunc(b.Disconnect.For, func() { _ = lw.restore() })
	}
	if err := lw.progress(ctx, b); err != nil {
		return nil, err
	}
	switch b.Do {
	case "hang":
		return nil, r.sleep(ctx, -1, b.IgnoreCancel)
	case "crash":
		_ = lw.kill()
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if b.Malformed {
		if err := r.publishRaw(ctx, lw.spec.Submit, []byte(`{"TaskToken": "`+job.TaskToken+`", "result": {`), false); err != nil {
			return nil, err
		}
		return nil, r.sleep(ctx, -1, b.IgnoreCancel)
	}
	result, err := outcome(ctx, b, job)
	if err == nil && b.Twice {
		msg, merr := jobwire.Success(job.TaskToken, result)
		if merr != nil {
			return nil, merr
		}
		if err := r.publishRaw(ctx, lw.spec.Submit, msg, true); err != nil {
			return nil, err
		}
	}
	return result, err
}

// progress reports b.Progress spread over b.Takes, then lets the rest of
// b.Takes pass.
func (lw *liveWorker) progress(ctx context.Context, b Behaviour) error {
	step := b.Takes / time.Duration(len(b.Progress)+1)
	for _, v := range b.Progress {
		if err := lw.r.sleep(ctx, step, b.IgnoreCancel); err != nil {
			return err
		}
		if err := worker.ReportProgress(ctx, v); err != nil && !b.IgnoreCancel {
			return err
		}
	}
	return lw.r.sleep(ctx, b.Takes-step*time.Duration(len(b.Progress)), b.IgnoreCancel)
}

// outcome is what a behaviour answers once its time has passed.
func outcome(ctx context.Context, b Behaviour, job jobwire.Job) (json.RawMessage, error) {
	switch b.Do {
	case "succeed":
		out, err := json.Marshal(b.Result)
		if err != nil {
			return nil, fmt.Errorf("behaviour result: %w", err)
		}
		return out, nil
	case "fail":
		return nil, &worker.JobError{Name: b.Error, Cause: b.Cause}
	}
	return worker.DefaultHandler().Handle(ctx, job)
}

// sleep waits d on the scenario's clock (d < 0: until cancelled), counted
// as parked: the job waits on time, not work. A cancel ends it early
// unless ignoreCancel; the end of the scenario always does.
func (r *runner) sleep(ctx context.Context, d time.Duration, ignoreCancel bool) error {
	if d == 0 {
		return nil
	}
	r.p.parked.Add(1)
	var once sync.Once
	unpark := func() { once.Do(func() { r.p.parked.Add(-1) }) }
	defer unpark()
	fired := make(chan struct{})
	if d > 0 {
		// The timer unparks before it returns, so the clock's mover sees
		// the job working again as soon as the clock has moved.
		t := r.clk.AfterFunc(d, func() {
			unpark()
			close(fired)
		})
		defer t.Stop()
	}
	cancelled := ctx.Done()
	if ignoreCancel {
		cancelled = nil
	}
	select {
	case <-fired:
		return nil
	case <-cancelled:
		return ctx.Err()
	case <-r.closing:
		return fmt.Errorf("scenario ended")
	}
}
