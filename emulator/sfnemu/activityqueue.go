package sfnemu

import (
	"context"
	"errors"
	"time"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/interp"
	"github.com/stepwire/stepwire/internal/hop"
)

// Activity tasks wait in their activity's queue until a worker's
// GetActivityTask takes them. A poll waits up to 60 s (on the injected
// clock) and ends early when the HTTP request does.

// Limits of GetActivityTask (quotas).
const (
	activityPollTimeout = 60 * time.Second
	maxActivityPollers  = 1000
)

// activityTask is one scheduled activity task attempt.
type activityTask struct {
	e             *execution
	taskID, token string
	input         string
}

// poller is one GetActivityTask waiting for a task. got has room for the
// one task handed to it.
type poller struct {
	got chan *activityTask
}

// activityQueue holds an activity's waiting tasks and pollers, each in
// arrival order. Guarded by the activity's mutex.
type activityQueue struct {
	tasks   []*activityTask
	pollers []*poller
}

// scheduleActivity queues an activity task of e. An activity that does not
// exist (any more) fails the execution. e.mu is held.
func (s *Service) scheduleActivity(e *execution, c interp.InvokeTask) {
	a, err := s.activity(c.Resource)
	if err != nil {
		ev := activityMissing(c)
		s.spawn(e, "an activity task", func() { s.deliver(e, ev) })
		return
	}
	if c.Token == "" {
		// No worker could answer a task without a token.
		ev := taskFailed(c.TaskID, string(asl.StatesRuntime), "stepwire issued no task token for the activity task of state '"+c.StateName+"'")
		s.spawn(e, "an activity task", func() { s.deliver(e, ev) })
		return
	}
	if s.hopsOn() {
		hop.Log(context.Background(), s.log, "activity", "activityArn", a.arn, "executionArn", e.arn)
	}
	a.push(&activityTask{e: e, taskID: c.TaskID, token: c.Token, input: string(c.Parameters)})
}

// push hands t to the longest-waiting poller, or queues it.
func (a *activity) push(t *activityTask) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.queue.pollers) > 0 {
		p := a.queue.pollers[0]
		a.queue.pollers = a.queue.pollers[1:]
		p.got <- t
		return
	}
	a.queue.tasks = append(a.queue.tasks, t)
}

// take pops the oldest task, or registers p as waiting when there is none.
func (a *activity) take(p *poller) (*activityTask, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.queue.tasks) > 0 {
		t := a.queue.tasks[0]
		a.queue.tasks = a.queue.tasks[1:]
		return t, nil
	}
	if len(a.queue.pollers) >= maxActivityPollers {
		return nil, fail(ErrActivityWorkerLimitExceeded, a.arn)
	}
	a.queue.pollers = append(a.queue.pollers, p)
	return nil, nil
}

// withdraw removes a waiting poller. It reports false when a task was
// handed to p meanwhile (it is then in p.got).
func (a *activity) withdraw(p *poller) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	for i, q := range a.queue.pollers {
		if q == p {
			a.queue.pollers = append(a.queue.pollers[:i:i], a.queue.pollers[i+1:]...)
			return true
		}
	}
	return false
}

// unshift puts back a task whose poller went away before it got it.
func (a *activity) unshift(t *activityTask) {
	a.mu.Lock()
	if len(a.queue.pollers) > 0 {
		p := a.queue.pollers[0]
		a.queue.pollers = a.queue.pollers[1:]
		a.mu.Unlock()
		p.got <- t
		return
	}
	a.queue.tasks = append([]*activityTask{t}, a.queue.tasks...)
	a.mu.Unlock()
}

// GetActivityTask hands out the oldest live task of the activity, waiting
// up to 60 s (on the service clock) for one; the task is empty when none
// came or ctx ended.
func (s *Service) GetActivityTask(ctx context.Context, r GetActivityTaskInput) (ActivityTask, error) {
	t, err := s.getActivityTask(ctx, r.ActivityArn, r.WorkerName)
	if err != nil || t == nil {
		return ActivityTask{}, err
	}
	return ActivityTask{TaskToken: t.token, Input: t.input}, nil
}

func (s *Service) getActivityTask(ctx context.Context, activityArn, worker string) (*activityTask, error) {
	a, err := s.activity(activityArn)
	if err != nil {
		return nil, err
	}
	expired := make(chan struct{})
	timer := s.cfg.Clock.AfterFunc(activityPollTimeout, func() { close(expired) })
	defer timer.Stop()
	for {
		t, err := s.waitTask(ctx, a, expired)
		if t == nil || err != nil {
			return nil, err
		}
		if ok, err := s.handOut(t, worker); ok || err != nil {
			return t, err
		}
		// The task's attempt ended while it was queued: take the next.
	}
}

// waitTask takes the next task of a, waiting until one comes, the poll
// expires, ctx ends or the service closes.
func (s *Service) waitTask(ctx context.Context, a *activity, expired <-chan struct{}) (*activityTask, error) {
	p := &poller{got: make(chan *activityTask, 1)}
	t, err := a.take(p)
	if t != nil || err != nil {
		return t, err
	}
	select {
	case t = <-p.got:
		return t, nil
	case <-expired:
	case <-ctx.Done():
	case <-s.ctx.Done():
	}
	if a.withdraw(p) {
		return nil, nil
	}
	t = <-p.got // handed over while we gave up
	if ctx.Err() != nil || s.ctx.Err() != nil {
		a.unshift(t) // nobody will read the response
		return nil, nil
	}
	return t, nil
}

// handOut starts a taken task: it reports false for a task whose attempt
// or execution ended while it was queued. The execution logs
// ActivityStarted and starts the task's timers now. A journaled execution
// answers once ActivityStarted is committed (docs/durability.md §6): a
// token handed out before a crash is then still the task's after the
// restart, not a task queued again.
func (s *Service) handOut(t *activityTask, worker string) (bool, error) {
	e := t.e
	e.mu.Lock()
	if _, closed := e.closed[t.token]; closed || e.status != interp.StatusRunning {
		e.mu.Unlock()
		return false, nil
	}
	if s.hopsOn() {
		hop.Log(context.Background(), s.log, "activity-task", "worker", worker, "executionArn", e.arn)
	}
	// The open token says the attempt is current; a refusal is the
	// interpreter's to explain (it is logged), and the worker keeps the
	// task.
	d := &delivery{ev: activityStarted(t.taskID, worker)}
	if !e.jr.isOn() {
		s.feedLocked(e, d, driveOwn)
		return true, nil
	}
	d.reply = make(chan error, 1)
	s.feedLocked(e, d, driveOwn)
	if err := <-d.reply; err != nil && !errors.Is(err, interp.ErrUnknownTask) {
		s.log.Warn("execution event refused", "executionArn", e.arn, "event", "ActivityStarted", "err", err)
	}
	return true, s.journalWait(e)
}

// ActivityPollers returns how many GetActivityTask calls wait in the
// service for a task, over every activity. A virtual-time runner compares
// it with the polls its workers have out: a poll on its way in, or a task
// on its way back, is work in flight.
func (s *Service) ActivityPollers() int {
	s.actMu.RLock()
	acts := make([]*activity, 0, len(s.activities))
	for _, a := range s.activities {
		acts = append(acts, a)
	}
	s.actMu.RUnlock()
	n := 0
	for _, a := range acts {
		a.mu.Lock()
		n += len(a.queue.pollers)
		a.mu.Unlock()
	}
	return n
}
