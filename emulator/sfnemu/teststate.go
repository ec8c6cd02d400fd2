package sfnemu

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
	"github.com/stepwire/stepwire/emulator/interp"
	"github.com/stepwire/stepwire/internal/arn"
	"github.com/stepwire/stepwire/internal/uuid"
)

// TestState runs one state outside any execution and says what it did
// (docs/step-functions.md §8). The state runs in the interpreter
// (interp.StateTest); a Task without a mock calls the emulator's
// integrations as an execution would, a mocked one gets the mock.

// TestMaxDuration is how long a test may run before it fails with
// States.Timeout.
const TestMaxDuration = 5 * time.Minute

// errTestTimeout ends a test that ran for TestMaxDuration.
var errTestTimeout = errors.New("test state ran out of time")

// TestStateInput is a TestState request.
type TestStateInput struct {
	Definition, StateName, RoleArn string
	// Input is the state input; {} when nil.
	Input *string
	// Inspect asks for inspectionData (inspectionLevel DEBUG or TRACE).
	Inspect       bool
	RevealSecrets bool
	// Variables and Context are JSON objects as text.
	Variables, Context *string
	Mock               *TestMock
	// RetrierRetryCount, ErrorCausedByState, MapIterationFailureCount
	// and MapItemReaderData are the stateConfiguration.
	RetrierRetryCount        int64
	ErrorCausedByState       *string
	MapIterationFailureCount *int64
	MapItemReaderData        *string
}

// TestMock is a mocked Task outcome: Result or ErrorOutput.
type TestMock struct {
	Result      *string
	ErrorOutput *asl.Failure
	// FieldValidationMode is STRICT, PRESENT or NONE; stepwire has no
	// service models to check a result against, so it is not used.
	FieldValidationMode string
}

// TestStateOutput is a TestState answer; Inspection is meaningful only
// when Inspected.
type TestStateOutput struct {
	interp.TestResult
	Inspected bool
}

// TestState runs the state the request names.
func (s *Service) TestState(ctx context.Context, r TestStateInput) (TestStateOutput, error) {
	def, name, err := testDefinition(r.Definition, r.StateName)
	if err != nil {
		return TestStateOutput{}, err
	}
	st := def.States[name]
	if err := checkMock(r, st); err != nil {
		return TestStateOutput{}, err
	}
	setup, opts, err := s.testSetup(r, def, name)
	if err != nil {
		return TestStateOutput{}, err
	}
	run := interp.NewStateTest(def, setup, opts)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	limit := s.cfg.Clock.AfterFunc(TestMaxDuration, func() { cancel(errTestTimeout) })
	defer limit.Stop()
	err = s.driveTest(ctx, run, r)
	switch {
	case errors.Is(err, errTestTimeout):
		timedOut := interp.TestResult{Status: interp.TestFailed, Failure: asl.ErrorOnly(asl.StatesTimeout)}
		return TestStateOutput{TestResult: timedOut}, nil
	case err != nil:
		return TestStateOutput{}, err
	}
	return TestStateOutput{TestResult: run.Result(), Inspected: r.Inspect}, nil
}

// testSetup checks the input, variables and context and builds the run's
// setup and options.
func (s *Service) testSetup(r TestStateInput, def *asl.Definition, name string) (interp.TestSetup, interp.Options, error) {
	setup := interp.TestSetup{State: name, Input: json.RawMessage("{}"), RetrierRetryCount: r.RetrierRetryCount}
	if r.Input != nil {
		if err := checkInput(*r.Input); err != nil {
			return setup, interp.Options{}, err
		}
		setup.Input = json.RawMessage(*r.Input)
	}
	vars, err := testVariables(r.Variables)
	if err != nil {
		return setup, interp.Options{}, err
	}
	setup.Variables = vars
	cx, err := testContext(r.Context, def.States[name])
	if err != nil {
		return setup, interp.Options{}, err
	}
	return setup, s.testOptions(r.RoleArn, cx), nil
}

// testOptions are the interpreter options of a test: the context object
// names a made-up execution unless the request's context names one.
func (s *Service) testOptions(roleArn string, cx *jsonv.Object) interp.Options {
	id := uuid.New()
	o := interp.Options{
		ExecutionArn:  arn.Execution(s.cfg.Region, s.cfg.Account, "TestStateMachine", id),
		ExecutionName: id, StateMachineArn: arn.StateMachine(s.cfg.Region, s.cfg.Account, "TestStateMachine"),
		StateMachineName: "TestStateMachine", RoleArn: roleArn, Region: s.cfg.Region, Account: s.cfg.Account,
		NewToken: uuid.New, NewUUID: s.newUUID, Random: s.randomInt,
		MaxEvalSteps: s.cfg.MaxEvalSteps, MaxEvalBytes: s.cfg.MaxEvalBytes,
	}
	if cx == nil {
		return o
	}
	str := func(path ...string) (string, bool) {
		var v any = cx
		for _, k := range path {
			o, isObject := v.(*jsonv.Object)
			if !isObject {
				return "", false
			}
			v, _ = o.Get(k)
		}
		sv, ok := v.(string)
		return sv, ok
	}
	for _, f := range []struct {
		dst  *string
		path []string
	}{{&o.ExecutionArn, []string{"Execution", "Id"}}, {&o.ExecutionName, []string{"Execution", "Name"}},
		{&o.RoleArn, []string{"Execution", "RoleArn"}}, {&o.StateMachineArn, []string{"StateMachine", "Id"}},
		{&o.StateMachineName, []string{"StateMachine", "Name"}}} {
		if v, ok := str(f.path...); ok {
			*f.dst = v
		}
	}
	if token, ok := str("Task", "Token"); ok {
		o.NewToken = func() string { return token }
	}
	return o
}

// driveTest runs the test to its end: each Task attempt gets the mock or
// runs its resource. A test still running after TestMaxDuration ends
// with errTestTimeout; one whose request ended gives up.
func (s *Service) driveTest(ctx context.Context, run *interp.StateTest, r TestStateInput) error {
	step := run.Start(s.cfg.Clock.Now())
	for !step.Done {
		if step.Invoke == nil {
			return fmt.Errorf("test state: the state waits for nothing the test can give")
		}
		events, err := s.testAttempt(ctx, run, *step.Invoke, r)
		if err != nil {
			return err
		}
		for _, ev := range events {
			if step = run.Handle(s.cfg.Clock.Now(), ev); step.Done {
				break
			}
		}
	}
	return nil
}

// testAttempt returns the events of one Task attempt: the mock's, or
// those of the resource run for real within ctx.
func (s *Service) testAttempt(ctx context.Context, run *interp.StateTest, c interp.InvokeTask, r TestStateInput) ([]interp.Event, error) {
	if r.Mock != nil {
		return mockedAttempt(run, c, r), nil
	}
	done := make(chan interp.Event, 1)
	e := &execution{arn: arn.Execution(s.cfg.Region, s.cfg.Account, "TestStateMachine", c.TaskID)}
	if !s.work.Go(func() { done <- s.testResource(e, c) }) {
		return nil, fmt.Errorf("test state: %w", errClosed)
	}
	select {
	case ev := <-done:
		if ev == nil {
			return nil, fmt.Errorf("test state: %w", errClosed)
		}
		return []interp.Event{ev}, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("test state: %w", context.Cause(ctx))
	}
}

// mockedAttempt turns the mock into the events of the attempt: a
// callback or activity task is first started, then answered.
func mockedAttempt(run *interp.StateTest, c interp.InvokeTask, r TestStateInput) []interp.Event {
	m := r.Mock
	if m.ErrorOutput == nil && r.MapIterationFailureCount != nil && run.MapFailuresExceeded(*r.MapIterationFailureCount) {
		m = &TestMock{ErrorOutput: &asl.Failure{Error: string(asl.StatesExceedToleratedFailureThreshold), HasError: true,
			Cause: "The specified tolerated failure threshold was exceeded", HasCause: true}}
	}
	var start []interp.Event
	switch {
	case c.Activity:
		start = []interp.Event{interp.ActivityStarted{TaskID: c.TaskID, WorkerName: "TestState"}}
	case c.Token != "":
		start = []interp.Event{interp.TaskInvoked{TaskID: c.TaskID, Output: json.RawMessage(`{}`)}}
	}
	if m.ErrorOutput != nil {
		if start == nil {
			return []interp.Event{interp.TaskFailed{TaskID: c.TaskID, Failure: *m.ErrorOutput}}
		}
		return append(start, interp.CallbackFailure{Token: c.Token, Failure: *m.ErrorOutput})
	}
	if start == nil {
		return []interp.Event{interp.TaskInvoked{TaskID: c.TaskID, Output: json.RawMessage(*m.Result)}}
	}
	return append(start, interp.CallbackSuccess{Token: c.Token, Output: *m.Result})
}

// testResource runs the attempt's resource; a panic fails the attempt
// with States.Runtime.
func (s *Service) testResource(e *execution, c interp.InvokeTask) (ev interp.Event) {
	defer func() {
		if v := recover(); v != nil {
			ev = taskFailed(c.TaskID, string(asl.StatesRuntime), s.logPanic(e, "the TestState task", v))
		}
	}()
	return s.runResource(e, c)
}
