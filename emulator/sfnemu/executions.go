package sfnemu

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/interp"
	"github.com/stepwire/stepwire/internal/hop"
	"github.com/stepwire/stepwire/internal/uuid"
)

// execution is one execution: the interpreter, its history and status.
// Everything below mu is guarded by it; the rest is immutable.
type execution struct {
	id    uint64
	arn   string
	name  string
	sm    *stateMachine
	rev   *revision // the state machine revision it runs (shared, immutable)
	input string
	start time.Time
	// versionArn and aliasArn name the version and alias it was started
	// through; empty when started with the machine's own ARN.
	versionArn, aliasArn string
	// abandoned is set when the execution ends while a step evaluates
	// (abandon.go); the step's evaluation polls it and gives up.
	abandoned atomic.Bool

	mu       sync.Mutex
	machine  *interp.Machine
	history  []interp.HistoryEvent
	status   interp.Status
	stop     time.Time
	output   json.RawMessage
	failure  asl.Failure // the terminal step's error and cause
	timers   map[string]*timer
	closed   map[string]struct{} // tokens closed by the machine
	tokenSeq uint32
	done     chan struct{} // closed when the execution ends; nil until waited on (doneChan)
	// execTimer is the id of the execution timeout's timer ("" without
	// one): it ends the execution even while a step evaluates.
	execTimer string
	inbox     []*delivery // events waiting for the Machine (drive.go)
	driving   bool        // a goroutine drives the Machine
	// adopt, while a goroutine of the service's pool drives, holds the
	// one task it runs itself once it stops driving (drive.go).
	adopt *task

	freed bool // freed by retention (retention.go); guarded by sm.mu

	jr      *execJournal    // its records in Config.Store (journal_exec.go); nil without one
	mapRuns []*mapRunRecord // Distributed Map runs (mapruns.go)
	indexed indexed         // their ARNs in the lookup indexes (mapruns_children.go)
	redrive redriveState    // redrive.go
}

// execInfo is a consistent snapshot of an execution for Describe/List.
type execInfo struct {
	arn, smArn, name, input string
	status                  interp.Status
	versionArn, aliasArn    string
	start, stop             time.Time
	output                  json.RawMessage
	failure                 asl.Failure
	redrive                 redriveState
	events                  int
	// noMachine is set when the execution has no Machine left to redrive
	// (closed outside it, as by StopExecution during a step).
	noMachine bool
}

// closedChan is the done channel of an execution closed before any
// caller waited on it.
var closedChan = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// doneChan returns a channel closed when the execution ends. It is made
// on demand: most executions are never waited on.
func (e *execution) doneChan() <-chan struct{} {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.done == nil {
		if e.status != interp.StatusRunning {
			return closedChan
		}
		e.done = make(chan struct{})
	}
	return e.done
}

// closeDone wakes the callers waiting for the execution to end. e.mu is
// held.
func (e *execution) closeDone() {
	if e.done != nil {
		close(e.done)
		e.done = nil // a redrive's end is waited on anew
	}
}

func (e *execution) info() execInfo {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.infoLocked()
}

func (e *execution) infoLocked() execInfo {
	return execInfo{arn: e.arn, smArn: e.sm.arn, name: e.name, status: e.status, input: e.input,
		versionArn: e.versionArn, aliasArn: e.aliasArn, start: e.start, stop: e.stop, output: e.output,
		failure: e.failure, redrive: redriveState{count: e.redrive.count, date: e.redrive.date},
		events: len(e.history), noMachine: e.machine == nil}
}

// StartExecution starts an execution, or answers a repeated start of a
// running one idempotently. Its checks follow AWS's order: ARN shape,
// state machine existence, name characters, input JSON, duplicate name.
func (s *Service) StartExecution(_ context.Context, in StartExecutionInput) (StartExecutionOutput, error) {
	info, err := s.startExecution(in.StateMachineArn, in.Name, in.Input)
	if err != nil {
		return StartExecutionOutput{}, err
	}
	return StartExecutionOutput{ExecutionArn: info.arn, StartDate: info.start}, nil
}

func (s *Service) startExecution(smArn string, name, input *string) (execInfo, error) {
	sm, in, err := s.checkStart(smArn, name, input)
	if err != nil {
		return execInfo{}, err
	}
	run, err := s.prepareTestCase(sm, in.target.testCase)
	if err != nil {
		return execInfo{}, err
	}
	_, info, err := s.launch(sm, in, run)
	return info, err
}

// startInput is a validated StartExecution or StartSyncExecution.
type startInput struct {
	target      startTarget
	sel         selection
	name, input string
}

// startTarget is what a start request's stateMachineArn names.
type startTarget struct {
	ref      machineRef // the machine, version or alias
	testCase string     // the mock config test case after "#" (mock.go)
}

// parseStartArn reads the stateMachineArn of StartExecution and
// StartSyncExecution: a state machine, version or alias ARN, optionally
// followed by "#<TestCase>". It is the one place a start request's ARN is
// parsed.
func parseStartArn(arn string) (startTarget, error) {
	smArn, testCase := splitTestCase(arn)
	ref, err := parseMachineRef(smArn)
	if err != nil {
		return startTarget{}, err
	}
	return startTarget{ref: ref, testCase: testCase}, nil
}

// checkStart validates a start request and finds its state machine.
func (s *Service) checkStart(smArn string, name, input *string) (*stateMachine, startInput, error) {
	target, err := parseStartArn(smArn)
	if err != nil {
		return nil, startInput{}, err
	}
	s.sweep()
	sm, sel, err := s.selectTarget(target.ref)
	if err != nil {
		return nil, startInput{}, err
	}
	in := startInput{target: target, sel: sel, name: uuid.New(), input: "{}"}
	if name != nil {
		in.name = *name
	}
	if !validName(in.name) {
		return nil, startInput{}, fail(ErrInvalidName, in.name)
	}
	if input != nil {
		in.input = *input
	}
	if err := checkInput(in.input); err != nil {
		return nil, startInput{}, err
	}
	return sm, in, nil
}

// expressLimit is the longest an Express execution may run.
const expressLimit = 300 // seconds

// launch registers and starts a new execution, bound to the test-case run
// when not nil, or answers a repeated StartExecution idempotently. It
// returns once ExecutionStarted is logged; the first state is evaluated
// by the execution's driver.
func (s *Service) launch(sm *stateMachine, in startInput, run *mockRun) (*execution, execInfo, error) {
	arn := s.executionArn(sm.name, in.name)
	if sm.typ == typeExpress {
		arn = s.expressArn(sm.name, in.name)
	}
	e := &execution{id: s.nextExec.Add(1), arn: arn, name: in.name, sm: sm,
		input: in.input, start: s.cfg.Clock.Now(), status: interp.StatusRunning,
		versionArn: in.sel.versionArn, aliasArn: in.sel.aliasArn}
	if s.journal != nil {
		e.jr = &execJournal{} // journalStart turns it on for a Standard execution
	}
	e.mu.Lock()
	if old, err := s.register(e, sm, in, run); old != nil || err != nil {
		e.mu.Unlock()
		if err != nil {
			return nil, execInfo{}, err
		}
		info, err := old.sameStart(in.input)
		return old, info, err
	}
	if s.hopsOn() {
		hop.Log(context.Background(), s.log, "start", "execution", in.name, "executionArn", e.arn)
	}
	s.notifyStatus(e, e.infoLocked())
	def := e.rev.def
	if sm.typ == typeExpress && (def.TimeoutSeconds == 0 || def.TimeoutSeconds > expressLimit) {
		limited := *def
		limited.TimeoutSeconds = expressLimit
		def = &limited
	}
	s.begin(e, def)
	info := e.infoLocked()
	if e.status != interp.StatusRunning {
		e.mu.Unlock()
		return e, info, s.journalWait(e)
	}
	e.inbox = append(e.inbox, &delivery{}) // Enter: the first state
	s.startDriving(e)
	e.mu.Unlock()
	s.goDrive(e)
	return e, info, s.journalWait(e)
}

// register adds e to the service and its machine. It returns the
// execution that already has e's ARN, if any, or the machine's refusal.
// e.mu is held.
func (s *Service) register(e *execution, sm *stateMachine, in startInput, run *mockRun) (*execution, error) {
	s.execMu.Lock()
	defer s.execMu.Unlock()
	if old := s.execByArn[e.arn]; old != nil {
		return old, nil
	}
	rev, err := sm.admit(e)
	if err != nil {
		return nil, err
	}
	e.rev = in.sel.revisionOr(rev)
	s.execByArn[e.arn] = e
	s.execByID[e.id] = e
	s.mocks.bind(e.arn, run)
	return nil, nil
}

// begin opens e's Machine: ExecutionStarted is logged and the execution
// timeout armed; no state is evaluated. A panic fails the execution with
// States.Runtime. e.mu is held.
func (s *Service) begin(e *execution, def *asl.Definition) {
	defer s.recoverLocked(e, "the interpreter", nil)
	e.machine = interp.New(def, json.RawMessage(e.input), s.machineOptions(e))
	step := e.machine.Open(e.start)
	s.journalStart(e)
	for _, c := range step.Commands {
		if t, ok := c.(interp.ArmTimer); ok {
			e.execTimer = t.TimerID // Open arms only the execution timeout
		}
	}
	s.apply(e, e.markStarted(step))
}

// sameStart answers a StartExecution that names an existing execution:
// the original response while it runs with byte-identical input,
// ExecutionAlreadyExists otherwise.
func (e *execution) sameStart(input string) (execInfo, error) {
	info := e.info()
	if info.status == interp.StatusRunning && info.input == input {
		return info, nil
	}
	return execInfo{}, fail(ErrExecutionAlreadyExists, e.arn)
}

func (s *Service) machineOptions(e *execution) interp.Options {
	o := s.machineOpts
	o.ExecutionArn, o.ExecutionName = e.arn, e.name
	o.StateMachineArn, o.StateMachineName, o.RoleArn = e.sm.arn, e.sm.name, e.rev.roleArn
	o.NewToken = func() string { // called only by the Machine's caller
		e.tokenSeq++
		return s.tokens.mint(e.id, e.tokenSeq)
	}
	o.Interrupt = func() bool { return e.abandoned.Load() || s.closed() }
	o.ReadItems = s.mockedItems(e)
	return s.journaled(e, o)
}

// execution returns the execution with the given ARN.
func (s *Service) execution(arn string) (*execution, error) {
	if _, err := parseArn(arn, "execution"); err != nil {
		return nil, err
	}
	s.sweep()
	if e := s.lookupExecution(arn); e != nil {
		s.sweepMachine(e.sm, s.cfg.Clock.Now())
	}
	e := s.lookupExecution(arn) // nil when the sweep freed it
	if e == nil {
		return nil, fail(ErrExecutionDoesNotExist, arn)
	}
	return e, nil
}

// lookupExecution returns the execution with the given ARN, or nil.
func (s *Service) lookupExecution(arn string) *execution {
	s.execMu.RLock()
	defer s.execMu.RUnlock()
	return s.execByArn[arn]
}

// StopExecution aborts a running execution; a closed one is left as is.
func (s *Service) StopExecution(_ context.Context, in StopExecutionInput) (StopExecutionOutput, error) {
	stop, err := s.stopExecution(in.ExecutionArn, in.Error, in.Cause)
	if err != nil {
		return StopExecutionOutput{}, err
	}
	return StopExecutionOutput{StopDate: stop}, nil
}

func (s *Service) stopExecution(arn string, errStr, cause *string) (time.Time, error) {
	e, err := s.execution(arn)
	if err != nil {
		return time.Time{}, err
	}
	ev := interp.Stop{}
	if errStr != nil {
		ev.Error, ev.HasError = *errStr, true
	}
	if cause != nil {
		ev.Cause, ev.HasCause = *cause, true
	}
	e.mu.Lock()
	switch {
	case e.status != interp.StatusRunning:
	case e.driving:
		s.abandon(e, &ev) // a step evaluates: it is discarded
	default:
		if err := s.handle(e, ev); err != nil {
			e.mu.Unlock()
			return time.Time{}, err
		}
	}
	stop := e.stop
	e.mu.Unlock()
	return stop, s.journalWait(e)
}
