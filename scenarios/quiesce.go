package scenarios

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/emulator/lambdaemu"
	"github.com/stepwire/stepwire/emulator/template"
	"github.com/stepwire/stepwire/worker"
)

// probe follows the work in flight around an in-process scenario, so that
// virtual time jumps only when the system waits on time alone, however
// slowly the machine runs. A job travels
//
//	task scheduled → dispatch Lambda → broker → worker → broker → rule →
//	completion Lambda → SendTask* → history
//
// and the probe sees each leg: the execution history (a task whose
// invocation has not been recorded as submitted or ended), the Lambdas
// (wrapped to count invocations, jobs published and completions), and the
// scenario's worker (worker.Busy, Received, Published; handlers that only
// wait to be cancelled are parked and do not count as work).
//
// It also counts the executions whose interpreter steps are being
// evaluated (StartExecution answers before the first state runs).
//
// What it cannot see, and what remains timing-dependent: goroutines inside
// the Step Functions service (a timer already past due when armed fires on
// a goroutine of its own), rule actions other than Lambda, MQTT clients
// other than the scenario's worker, and a worker message that no rule sends
// to a completion Lambda (then time never moves and the run reports what it
// waits for). Requiring the history to be unchanged since the previous
// poll narrows, but does not close, the first of these.
type probe struct {
	w      *worker.Worker // nil when the scenario runs no worker
	steps  func() int64   // executions whose steps evaluate (sfnemu.Service.Driving)
	parked atomic.Int64   // jobs whose handler waits only for cancellation

	started, finished atomic.Uint64 // Lambda invocations
	jobsPublished     atomic.Uint64 // successful invocations of functions that publish to the worker
	completions       atomic.Uint64 // invocations of functions that topic rules invoke
	hasCompletions    bool
}

// wrapFunctions replaces the template's functions in the emulator's Lambda
// service with counting wrappers. Functions whose WORKER_TOPIC is
// workerTopic publish jobs to the scenario's worker; functions a topic rule
// invokes complete tasks from the worker's messages.
func (p *probe) wrapFunctions(srv *emulatortest.Server, tpl *template.Template, workerTopic string) {
	ruleFns := map[string]bool{}
	for _, r := range tpl.Rules {
		if r.Disabled {
			continue
		}
		for _, a := range r.Actions {
			if f, ok := srv.Lambda.Lookup(a.Lambda); a.Lambda != "" && ok {
				ruleFns[f.Name] = true
			}
		}
	}
	for _, tf := range tpl.Functions {
		f, ok := srv.Lambda.Lookup(tf.Name)
		if !ok {
			continue
		}
		h := &countingHandler{inner: f.Handler, p: p,
			publishesJobs: workerTopic != "" && tf.Environment["WORKER_TOPIC"] == workerTopic,
			completes:     ruleFns[f.Name]}
		p.hasCompletions = p.hasCompletions || h.completes
		srv.Lambda.Register(lambdaemu.Function{Name: f.Name, Handler: h})
	}
}

// countingHandler counts the invocations of one function.
type countingHandler struct {
	inner                    lambda.Handler
	p                        *probe
	publishesJobs, completes bool
}

func (h *countingHandler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	h.p.started.Add(1)
	if h.completes {
		h.p.completions.Add(1)
	}
	defer h.p.finished.Add(1)
	out, err := h.inner.Invoke(ctx, payload)
	if err == nil && h.publishesJobs {
		h.p.jobsPublished.Add(1) // before finished, so the job is never unaccounted for
	}
	return out, err
}

// park wraps a handler that blocks until its job is cancelled, so the probe
// counts it as waiting, not working.
func (p *probe) park(ctx context.Context) {
	p.parked.Add(1)
	defer p.parked.Add(-1)
	<-ctx.Done()
}

// counters is one reading of every counter the probe follows.
type counters struct {
	started, finished, jobsPublished, completions uint64
	busy, parked, steps                           int64
	received, published                           uint64
}

func (p *probe) read() counters {
	c := counters{started: p.started.Load(), finished: p.finished.Load(),
		jobsPublished: p.jobsPublished.Load(), completions: p.completions.Load(), parked: p.parked.Load()}
	if p.steps != nil {
		c.steps = p.steps()
	}
	if p.w != nil {
		c.busy, c.received, c.published = int64(p.w.Busy()), p.w.Received(), p.w.Published()
	}
	return c
}

// pending says what work is in flight given one reading of the counters
// and the history read after it; "" means none.
func (p *probe) pending(c counters, history []types.HistoryEvent) string {
	switch {
	case c.steps > 0:
		return fmt.Sprintf("%d execution(s) evaluating steps", c.steps)
	case c.started != c.finished:
		return fmt.Sprintf("%d Lambda invocation(s) running", c.started-c.finished)
	case p.w != nil && c.busy > c.parked:
		return fmt.Sprintf("the worker busy with %d job(s)", c.busy-c.parked)
	case p.w != nil && c.received < c.jobsPublished:
		return fmt.Sprintf("%d job(s) on the way to the worker", c.jobsPublished-c.received)
	case p.w != nil && p.hasCompletions && c.completions < c.published:
		return fmt.Sprintf("%d worker message(s) on the way to the completion Lambda", c.published-c.completions)
	}
	if n := tasksInFlight(history); n > 0 {
		return fmt.Sprintf("%d task invocation(s) not yet recorded", n)
	}
	return ""
}

// tasksInFlight counts tasks whose TaskScheduled has no TaskSubmitted,
// TaskSucceeded, TaskFailed, TaskTimedOut, TaskStartFailed or
// TaskSubmitFailed after it in its chain of previous events: the service is
// still invoking their resource.
func tasksInFlight(history []types.HistoryEvent) int {
	byID := make(map[int64]types.HistoryEvent, len(history))
	open := map[int64]bool{}
	for _, e := range history {
		byID[e.Id] = e
		switch e.Type {
		case types.HistoryEventTypeTaskScheduled:
			open[e.Id] = true
		case types.HistoryEventTypeTaskSubmitted, types.HistoryEventTypeTaskSucceeded, types.HistoryEventTypeTaskFailed,
			types.HistoryEventTypeTaskTimedOut, types.HistoryEventTypeTaskStartFailed, types.HistoryEventTypeTaskSubmitFailed:
			for id, steps := e.PreviousEventId, 0; id != 0 && steps < len(history); steps++ {
				prev, ok := byID[id]
				if !ok || prev.Type == types.HistoryEventTypeTaskStateEntered {
					break
				}
				if prev.Type == types.HistoryEventTypeTaskScheduled {
					delete(open, id)
					break
				}
				id = prev.PreviousEventId
			}
		}
	}
	return len(open)
}
