package scenarios

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepwire/stepwire/internal/jobwire"
	"github.com/stepwire/stepwire/internal/sfncallback"
	"github.com/stepwire/stepwire/worker"
)

// handle answers one job as the worker's behaviour for it says.
func (lw *liveWorker) handle(ctx context.Context, job jobwire.Job) (json.RawMessage, error) {
	b := lw.behaviourFor(lw.taken.Add(1), job.JobType)
	r := lw.r
	if r.ip.handler != nil {
		return r.ip.handler.Handle(ctx, job)
	}
	if b.Heartbeat != nil && !*b.Heartbeat {
		if err := worker.StopHeartbeats(ctx); err != nil {
			return nil, err
		}
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
		if err := lw.sendMalformed(ctx, job); err != nil {
			return nil, err
		}
		return nil, r.sleep(ctx, -1, b.IgnoreCancel)
	}
	result, err := outcome(ctx, b, job)
	if err == nil && b.Twice {
		if err := lw.sendFirstCopy(ctx, job, result); err != nil {
			return nil, err
		}
	}
	return result, err
}

// sendMalformed sends a result that is not JSON: on the submit topic for
// an MQTT worker, as SendTaskSuccess's output for an activity worker
// (which Step Functions refuses; the refusal is logged).
func (lw *liveWorker) sendMalformed(ctx context.Context, job jobwire.Job) error {
	if lw.spec.Activity == "" {
		return lw.r.publishRaw(ctx, lw.spec.Submit, []byte(`{"TaskToken": "`+job.TaskToken+`", "result": {`), false)
	}
	_, err := lw.activityClient().SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(job.TaskToken), Output: aws.String(`{"result": {`)})
	lw.r.book.logger(lw.spec.Name).Warn("malformed result sent", "err", fmt.Sprint(err))
	return nil
}

// sendFirstCopy sends a successful result before the worker sends it
// again: published as the observer for an MQTT worker, a SendTaskSuccess
// of its own for an activity worker.
func (lw *liveWorker) sendFirstCopy(ctx context.Context, job jobwire.Job, result json.RawMessage) error {
	if lw.spec.Activity == "" {
		msg, err := jobwire.Success(job.TaskToken, result)
		if err != nil {
			return err
		}
		return lw.r.publishRaw(ctx, lw.spec.Submit, msg, true)
	}
	out, err := sfncallback.SuccessOutput(result)
	if err != nil {
		return err
	}
	_, err = lw.activityClient().SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(job.TaskToken), Output: aws.String(out)})
	return err
}

func (lw *liveWorker) activityClient() *sfn.Client {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	return lw.client
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
