package interp

import (
	"encoding/json"
	"time"

	"github.com/stepwire/stepwire/emulator/asl"
)

// This file is the contract between the pure interpreter and the service
// that drives it (emulator/sfnemu). The service owns goroutines, the clock,
// task tokens' randomness and the integrations; the Machine owns ASL
// semantics and history.

// Options describe one execution. Everything the Machine needs from the
// outside world is here or arrives as an Event: it never reads a clock,
// draws a random number or does I/O.
type Options struct {
	ExecutionArn     string
	ExecutionName    string
	StateMachineArn  string
	StateMachineName string
	RoleArn          string
	Region           string
	Account          string
	// NewToken returns a fresh, unguessable task token. It is called once
	// per attempt of a .waitForTaskToken task. Injected so the Machine stays
	// deterministic in tests.
	NewToken func() string
	// NewUUID returns a fresh v4 UUID for States.UUID; nil makes that
	// intrinsic fail with States.Runtime.
	NewUUID func() string
	// Random returns an integer in [lo, hi] for States.MathRandom and for
	// retriers with JitterStrategy FULL (as Random(0, delayMillis)); nil
	// makes MathRandom fail and treats FULL jitter as NONE.
	Random func(lo, hi int64) int64
	// ActivityExists reports whether an activity ARN names an existing
	// activity. It is asked before each attempt of an activity task is
	// scheduled; false fails the execution with States.Runtime and no
	// Activity* event (docs/step-functions.md §3.3 L). nil assumes every activity
	// exists.
	ActivityExists func(arn string) bool
	// MaxEvalSteps bounds the work of each JSONata, JSONPath and intrinsic
	// evaluation, in steps the evaluation counts itself (a function call,
	// an item walked over, a value measured), so the bound is the same on
	// every run; 0 is budget.DefaultSteps (5,000,000, a few seconds).
	// Past it the state fails: States.QueryEvaluationError for JSONata,
	// States.Runtime for paths and intrinsics, with a cause naming the
	// limit (docs/step-functions.md §1.8).
	MaxEvalSteps int64
	// MaxEvalBytes bounds the memory each evaluation builds, as the
	// estimated size of the values it makes, added up as they are made;
	// 0 is budget.DefaultBytes (64 MiB). Past it the state fails as for
	// MaxEvalSteps.
	MaxEvalBytes int64
	// Interrupt, when set, is polled every few thousand steps of an
	// evaluation; true fails it as a spent budget does. The driver may
	// pass a deadline on its clock, or its execution being stopped.
	Interrupt func() bool
	// ReadItems supplies the items of the ItemReader of the Distributed
	// Map state named state, as stepwire reads no Amazon S3: a JSON array,
	// or the failure of the read (a mocked Throw). ok false (or a nil
	// ReadItems) means nothing supplies them: the Map Run fails with
	// States.ItemReaderFailed. It is called once per attempt of the state.
	ReadItems func(state string) (items []byte, fail *asl.Failure, ok bool)
}

// Step is what one call into the Machine produced.
type Step struct {
	// Events are new history events, ids already assigned, in order.
	Events []HistoryEvent
	// Commands are side effects for the driver to carry out.
	Commands []Command
	// Done is set once the execution reached a terminal status.
	Done bool
	// Status is RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED.
	Status Status
	// Output is the execution output (SUCCEEDED only).
	Output json.RawMessage
	// Failure describes a FAILED, TIMED_OUT or ABORTED execution.
	asl.Failure
	// MapRuns and Children are the Map Runs and child executions of
	// Distributed Map states the step changed (api_maprun.go).
	MapRuns  []MapRun
	Children []ChildExecution
}

// Command is a side effect requested by the Machine.
type Command interface{ command() }

// InvokeTask asks the driver to run a Task state's resource.
type InvokeTask struct {
	// TaskID identifies this attempt; results come back with it.
	TaskID string
	// StateName is the Task state's name.
	StateName string
	// Resource is the full resource ARN, e.g.
	// "arn:aws:states:::lambda:invoke.waitForTaskToken".
	Resource string
	// Parameters is the evaluated Parameters (or the effective input when
	// there are none).
	Parameters json.RawMessage
	// Token is set for .waitForTaskToken resources and activities.
	Token string
	// Activity is set when Resource is an activity ARN: the driver queues
	// {Token, Parameters (the task input)} for GetActivityTask and reports
	// ActivityStarted when a worker takes it; the outcome comes as
	// CallbackSuccess/Failure/Heartbeat with Token. No TaskInvoked.
	Activity bool
}

// ArmTimer asks the driver to deliver TimerFired{TimerID} at At.
type ArmTimer struct {
	TimerID string
	At      time.Time
}

// CancelTimer disarms a timer armed earlier.
type CancelTimer struct{ TimerID string }

// CloseToken tells the driver a task token is finished: later callbacks
// with it must get TaskTimedOut.
type CloseToken struct{ Token string }

func (InvokeTask) command()  {}
func (ArmTimer) command()    {}
func (CancelTimer) command() {}
func (CloseToken) command()  {}

// Event is something that happened outside the Machine.
type Event interface{ event() }

// TaskInvoked reports that the resource call of InvokeTask returned. For a
// .waitForTaskToken resource this is the submission (TaskSubmitted); for
// others Output is the task result.
type TaskInvoked struct {
	TaskID string
	Output json.RawMessage
}

// TaskFailed reports that the resource call failed (Lambda error, function
// not found, ...).
type TaskFailed struct {
	TaskID string
	asl.Failure
}

// ActivityStarted reports that GetActivityTask handed an activity task
// (InvokeTask with Activity set) to a worker: ActivityStarted is logged and
// the task's timeout and heartbeat clocks start.
type ActivityStarted struct {
	TaskID     string
	WorkerName string
}

// CallbackSuccess is SendTaskSuccess. Output is the text the caller sent.
type CallbackSuccess struct {
	Token  string
	Output string
}

// CallbackFailure is SendTaskFailure.
type CallbackFailure struct {
	Token string
	asl.Failure
}

// CallbackHeartbeat is SendTaskHeartbeat.
type CallbackHeartbeat struct{ Token string }

// TimerFired reports that an armed timer reached its deadline.
type TimerFired struct{ TimerID string }

// Stop is StopExecution.
type Stop struct{ asl.Failure }

func (TaskInvoked) event()       {}
func (TaskFailed) event()        {}
func (ActivityStarted) event()   {}
func (CallbackSuccess) event()   {}
func (CallbackFailure) event()   {}
func (CallbackHeartbeat) event() {}
func (TimerFired) event()        {}
func (Stop) event()              {}

// HistoryEvent is one entry of GetExecutionHistory. Its JSON encoding is
// exactly AWS's wire shape: {"id", "previousEventId", "timestamp" (epoch
// seconds with millisecond fraction), "type", "<detailsKey>": {...}} with
// data fields (input, output, parameters, cause JSON) as JSON strings.
type HistoryEvent struct {
	ID              int64
	PreviousEventID int64
	Timestamp       time.Time
	Type            EventType
	// Details is the details object, encoded with encoding/json under
	// Type.DetailsKey(); nil when the event carries no details.
	Details any
}
