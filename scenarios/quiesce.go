package scenarios

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/emulator/lambdaemu"
	"github.com/stepwire/stepwire/emulator/template"
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
// scenario's workers (worker.Busy, Received, Published; handlers that only
// wait on time or to be cancelled are parked and do not count as work).
//
// Several workers, on one topic or on tenants' topics, add up; a worker
// cut off the broker is not expected to receive the jobs of its topic
// until it is back, and a killed worker's counts stay as they were when
// it died.
//
// It also counts the executions whose interpreter steps are being
// evaluated (StartExecution answers before the first state runs), and,
// for activity workers, their SendTask* calls in flight and their
// GetActivityTask calls against the polls the service holds: a poll on
// its way in, or a task on its way back, is work in flight.
//
// It sees the asynchronous hand-offs between the services too: status-change
// events queued in Step Functions, EventBridge deliveries and Lambda Event
// invocations on their way.
//
// What it cannot see, and what remains timing-dependent: goroutines inside
// the Step Functions service (a timer already past due when armed fires on
// a goroutine of its own), rule actions other than Lambda, MQTT clients
// other than the scenario's workers, a message between the broker and a
// worker (a cancel on its way), the moment between a worker timer firing
// and its heartbeat being published, and a worker message that no rule
// sends to a completion Lambda (then time never moves and the run fails
// at its idle limit with what it waits for). Requiring three polls in a
// row with nothing moving (drive.go) narrows these windows but does not
// close them; scenarios keep two events due at one instant apart.
type probe struct {
	steps func() int64 // executions whose steps evaluate (sfnemu.Service.Driving)
	// deliveries counts what the services still hand on asynchronously:
	// status-change events (sfnemu), EventBridge deliveries (events) and
	// Event invocations (lambdaemu) on their way.
	deliveries func() int64
	pollers    func() int           // GetActivityTask calls waiting in the service (sfnemu.Service.ActivityPollers)
	workers    func() []*liveWorker // the scenario's workers
	parked     atomic.Int64         // jobs whose handler waits only on time or cancellation

	started, finished atomic.Uint64 // Lambda invocations
	completions       atomic.Uint64 // invocations of functions that topic rules invoke
	rawPublished      atomic.Uint64 // results the scenario published itself
	// jobsPublished counts, by worker topic, the successful invocations of
	// the functions that publish there; fixed before the run starts.
	jobsPublished  map[string]*atomic.Uint64
	hasCompletions bool
}

// wrapFunctions replaces the template's functions in the emulator's Lambda
// service with counting wrappers. Functions with a WORKER_TOPIC publish
// jobs to it; functions a topic rule invokes complete tasks from the
// workers' messages. Called again on a restarted emulator, it keeps the
// counts so far.
func (p *probe) wrapFunctions(srv *emulatortest.Server, tpl *template.Template) {
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
	if p.jobsPublished == nil {
		p.jobsPublished = map[string]*atomic.Uint64{}
	}
	for _, tf := range tpl.Functions {
		f, ok := srv.Lambda.Lookup(tf.Name)
		if !ok {
			continue
		}
		h := &countingHandler{inner: f.Handler, p: p, completes: ruleFns[f.Name]}
		if topic := tf.Environment["WORKER_TOPIC"]; topic != "" {
			if p.jobsPublished[topic] == nil {
				p.jobsPublished[topic] = new(atomic.Uint64)
			}
			h.jobs = p.jobsPublished[topic]
		}
		p.hasCompletions = p.hasCompletions || h.completes
		srv.Lambda.Register(lambdaemu.Function{Name: f.Name, Handler: h})
	}
}

// attach follows the Step Functions service of the emulator now running
// (after a restart, the new one's).
func (p *probe) attach(srv *emulatortest.Server) {
	p.steps, p.pollers = srv.SFN.Driving, srv.SFN.ActivityPollers
	p.deliveries = func() int64 {
		return int64(srv.SFN.StatusChangesPending()+srv.Events.Pending()) + srv.Lambda.AsyncPending()
	}
}

// countingHandler counts the invocations of one function.
type countingHandler struct {
	inner     lambdaemu.Handler
	p         *probe
	jobs      *atomic.Uint64 // nil: the function publishes no jobs
	completes bool
}

func (h *countingHandler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	h.p.started.Add(1)
	if h.completes {
		h.p.completions.Add(1)
	}
	defer h.p.finished.Add(1)
	out, err := h.inner.Invoke(ctx, payload)
	if err == nil && h.jobs != nil {
		h.jobs.Add(1) // before finished, so the job is never unaccounted for
	}
	return out, err
}

// counters is one reading of every counter the probe follows.
type counters struct {
	started, finished, completions  uint64
	busy, parked, steps, deliveries int64
	received, published             uint64
	connecting                      int64  // workers reconnecting
	jobs, onTheWay                  uint64 // jobs published; of them, not yet at a connected worker
	// Activity workers: SendTask* calls in flight and made, their
	// GetActivityTask calls in flight, and the polls the service holds.
	activityCalls, activityPolls, pollers int64
	activitySent                          uint64
}

func (p *probe) read() counters {
	c := counters{started: p.started.Load(), finished: p.finished.Load(),
		completions: p.completions.Load(), parked: p.parked.Load(), published: p.rawPublished.Load()}
	if p.steps != nil {
		c.steps = p.steps()
	}
	if p.deliveries != nil {
		c.deliveries = p.deliveries()
	}
	if p.pollers != nil {
		c.pollers = int64(p.pollers())
	}
	for topic, n := range p.jobsPublished {
		var w counters
		connected := false
		for _, lw := range p.workers() {
			if lw.spec.Activity == "" && sharedTopic(lw.spec.Subscribe) == topic {
				lw.read(&w)
				connected = connected || lw.connected.Load()
			}
		}
		jobs := n.Load()
		c.jobs += jobs
		if connected && w.received < jobs {
			c.onTheWay += jobs - w.received
		}
	}
	for _, lw := range p.workers() {
		lw.read(&c)
	}
	return c
}

// sharedTopic is the topic of a subscription, without a $share/<group>/.
func sharedTopic(filter string) string {
	if rest, ok := strings.CutPrefix(filter, "$share/"); ok {
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			return rest[i+1:]
		}
	}
	return filter
}

// pending says what work is in flight given one reading of the counters
// and the histories read after it; "" means none.
func (p *probe) pending(c counters, histories [][]types.HistoryEvent) string {
	switch {
	case c.steps > 0:
		return fmt.Sprintf("%d execution(s) evaluating steps", c.steps)
	case c.deliveries > 0:
		return fmt.Sprintf("%d status change(s), event deliveries or Event invocations on their way", c.deliveries)
	case c.started != c.finished:
		return fmt.Sprintf("%d Lambda invocation(s) running", c.started-c.finished)
	case c.connecting > 0:
		return fmt.Sprintf("%d worker(s) reconnecting", c.connecting)
	case c.busy > c.parked:
		return fmt.Sprintf("workers busy with %d job(s)", c.busy-c.parked)
	case c.activityCalls > 0:
		return fmt.Sprintf("%d SendTask* call(s) of activity workers in flight", c.activityCalls)
	case c.activityPolls > c.pollers:
		return fmt.Sprintf("%d GetActivityTask call(s) on their way", c.activityPolls-c.pollers)
	case c.onTheWay > 0:
		return fmt.Sprintf("%d job(s) on the way to a worker", c.onTheWay)
	case p.hasCompletions && c.completions < c.published:
		return fmt.Sprintf("%d worker message(s) on the way to the completion Lambda", c.published-c.completions)
	}
	for _, h := range histories {
		if n := tasksInFlight(h); n > 0 {
			return fmt.Sprintf("%d task invocation(s) not yet recorded", n)
		}
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
