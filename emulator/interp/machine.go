// Package interp runs one Step Functions execution as a deterministic state
// machine: the driver feeds it events with the current time and gets back
// history events and commands (invoke a task, arm a timer, close a token).
// It never reads a clock, draws random numbers or does I/O.
package interp

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// MaxPayloadBytes is the largest state input or output (UTF-8 bytes).
const MaxPayloadBytes = 262144

// MaxHistoryEvents is the history cap of a Standard execution.
const MaxHistoryEvents = 25000

var (
	// ErrTokenClosed reports a callback for a token that is not open: the
	// service answers TaskTimedOut.
	ErrTokenClosed = errors.New("interp: task token is closed")
	// ErrUnknownTask reports a stale task or timer id: the service ignores
	// it.
	ErrUnknownTask = errors.New("interp: unknown task or timer")
)

// Machine is one execution. It is not safe for concurrent use.
type Machine struct {
	def   *asl.Definition
	opts  Options
	input any

	startTime time.Time
	now       time.Time
	lastID    int64
	status    Status
	// out is the step being made, from begin to end (nil between calls,
	// so a waiting execution does not carry it).
	out *Step

	// root is the execution's own thread; th is the thread being run
	// (the root, a Parallel branch or a Map iteration).
	root, th  *thread
	rootRun   thread
	execTimer string
	seq       int
	// item is $$.Map.Item while a Map state evaluates its ItemSelector.
	item *mapItem
	// execCtx and smCtx are the context object's Execution and
	// StateMachine, the same for every state (context): built once a step,
	// dropped by end.
	execCtx, smCtx *jsonv.Object
	// redriveAt is where an unsuccessful execution stopped; redrives and
	// redriveTime count and date its redrives (redrive.go).
	redriveAt   *redrivePoint
	redrives    int
	redriveTime time.Time
	reentry     bool // Redrive was called: Enter re-enters redriveAt
	// dirtyRuns and dirtyChildren are the Map Runs and child executions
	// changed during the step (distributed.go).
	dirtyRuns     []*mapRun
	dirtyChildren []*childExec
}

// New prepares an execution of def with the given input (a JSON text; empty
// means {}).
func New(def *asl.Definition, input json.RawMessage, opts Options) *Machine {
	m := &Machine{def: def, opts: opts, status: StatusRunning}
	m.rootRun.scope = &def.Scope
	m.rootRun.vars = &varScope{}
	m.root = &m.rootRun
	m.th = m.root
	if len(input) == 0 {
		input = json.RawMessage("{}")
	}
	v, err := jsonv.Decode(input)
	if err != nil {
		v = jsonv.NewObject(0)
	}
	m.input = v
	return m
}

// Status returns the execution status.
func (m *Machine) Status() Status { return m.status }

// Start begins the execution and runs it until it needs the outside world.
// It is Open and Enter in one step.
func (m *Machine) Start(now time.Time) Step {
	m.begin(now)
	m.open(now)
	m.enter(m.def.StartAt, m.input, 0)
	return m.end()
}

// Open begins the execution without running a state: it logs
// ExecutionStarted and arms the execution timeout (the step's only
// ArmTimer). Enter then runs the first state. A driver that must answer
// before any state is evaluated calls Open, then Enter, with the same now
// to get Start's history.
func (m *Machine) Open(now time.Time) Step {
	m.begin(now)
	m.open(now)
	return m.end()
}

// Enter runs the first state of an opened execution until it needs the
// outside world.
func (m *Machine) Enter(now time.Time) Step {
	if m.status != StatusRunning {
		return Step{Done: true, Status: m.status}
	}
	m.begin(now)
	m.enterFirst()
	return m.end()
}

func (m *Machine) open(now time.Time) {
	m.startTime = now
	m.execCtx, m.smCtx = nil, nil
	m.emit(EventExecutionStarted, 0, &ExecutionStartedDetails{
		Input: strPtr(jsonv.EncodeString(m.input)), InputDetails: notTruncated, RoleArn: m.opts.RoleArn,
	})
	if m.def.TimeoutSeconds > 0 {
		m.execTimer = m.newID("exec-timeout")
		m.command(ArmTimer{TimerID: m.execTimer, At: now.Add(time.Duration(m.def.TimeoutSeconds) * time.Second)})
	}
}

// Handle applies one outside event.
func (m *Machine) Handle(now time.Time, ev Event) (Step, error) {
	if m.status != StatusRunning {
		switch ev.(type) {
		case CallbackSuccess, CallbackFailure, CallbackHeartbeat:
			return Step{Done: true, Status: m.status}, ErrTokenClosed
		}
		return Step{Done: true, Status: m.status}, nil
	}
	m.begin(now)
	err := m.dispatch(ev)
	return m.end(), err
}

func (m *Machine) dispatch(ev Event) error {
	defer func() { m.th = m.root }()
	switch e := ev.(type) {
	case Stop:
		m.abort(e)
		return nil
	case TimerFired:
		if e.TimerID != "" && e.TimerID == m.execTimer {
			m.timeOut()
			return nil
		}
		return m.timerFired(e.TimerID)
	case TaskInvoked:
		return m.taskInvoked(e)
	case TaskFailed:
		return m.taskFailed(e)
	case ActivityStarted:
		return m.activityStarted(e)
	case CallbackSuccess:
		return m.callback(e.Token, e)
	case CallbackFailure:
		return m.callback(e.Token, e)
	case CallbackHeartbeat:
		return m.heartbeat(e.Token)
	case UpdateMapRun:
		return m.updateMapRun(e)
	}
	return ErrUnknownTask
}

func (m *Machine) begin(now time.Time) {
	m.now = now
	m.out = nil
}

// step is the step being made.
func (m *Machine) step() *Step {
	if m.out == nil {
		m.out = &Step{}
	}
	return m.out
}

// end returns the step made since begin. The context object's Execution
// and StateMachine are dropped: rebuilt by the next step that reads $$,
// they are not kept while the execution waits.
func (m *Machine) end() Step {
	out := m.step()
	m.reportDistributed(out)
	s := *out
	s.Status = m.status
	s.Done = m.status != StatusRunning
	m.out = nil
	m.execCtx, m.smCtx = nil, nil
	return s
}

func (m *Machine) newID(prefix string) string {
	m.seq++
	return prefix + "-" + string(jsonv.IntNumber(int64(m.seq)))
}

// lastIDHere is the last event id of the history the current thread logs
// to.
func (m *Machine) lastIDHere() int64 {
	if c := m.th.child; c != nil {
		return c.lastID
	}
	return m.lastID
}

func (m *Machine) command(c Command) {
	out := m.step()
	out.Commands = append(out.Commands, c)
}

// emit appends a history event and returns its id. Reaching the history cap
// fails the execution instead.
func (m *Machine) emit(typ EventType, prev int64, details any) int64 {
	if c := m.th.child; c != nil {
		return c.emit(m, typ, prev, details)
	}
	if m.status != StatusRunning {
		return m.lastID
	}
	if m.lastID == MaxHistoryEvents-1 && !typ.terminal() {
		m.finish(StatusFailed, EventExecutionFailed, m.lastID, asl.NewFailure(asl.StatesRuntime,
			"The execution reached the maximum number of history events (25000)."))
		return m.lastID
	}
	m.lastID++
	out := m.step()
	out.Events = append(out.Events, HistoryEvent{
		ID: m.lastID, PreviousEventID: prev, Timestamp: m.now, Type: typ, Details: details,
	})
	return m.lastID
}

// finish ends the execution with a failure-like terminal event.
func (m *Machine) finish(status Status, typ EventType, prev int64, f asl.Failure) {
	m.emit(typ, prev, errorDetails(f))
	m.status = status
	m.step().Failure = f
	m.markRedrivePoint()
	m.closeThread(m.root)
	if m.execTimer != "" {
		m.command(CancelTimer{TimerID: m.execTimer})
		m.execTimer = ""
	}
}

// succeed ends the execution successfully.
func (m *Machine) succeed(output any, prev int64) {
	text := jsonv.EncodeString(output)
	m.emit(EventExecutionSucceeded, prev, &OutputDetails{Output: &text, OutputDetails: notTruncated})
	m.status = StatusSucceeded
	m.step().Output = json.RawMessage(text)
	m.closeThread(m.root)
	if m.execTimer != "" {
		m.command(CancelTimer{TimerID: m.execTimer})
		m.execTimer = ""
	}
}

func (m *Machine) abort(e Stop) {
	m.finish(StatusAborted, EventExecutionAborted, 0, e.Failure)
}

func (m *Machine) timeOut() {
	m.execTimer = ""
	m.finish(StatusTimedOut, EventExecutionTimedOut, 0, asl.ErrorOnly(asl.StatesTimeout))
	// DescribeExecution reports neither error nor cause for TIMED_OUT.
	m.step().Failure = asl.Failure{}
}
