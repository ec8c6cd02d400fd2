package sfnemu

import (
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/interp"
	"github.com/stepwire/stepwire/emulator/sfnemu/mockconfig"
)

// mockRun is the mock state of one execution started with a test case.
type mockRun struct {
	cfg      *mockconfig.Config
	testCase string
	states   map[string]string // state → response name

	mu       sync.Mutex
	calls    map[string]int // invocations so far, by state
	tokens   []MockToken
	progress chan struct{} // closed and replaced when a task finishes

	// finished counts the task invocations whose outcome was delivered.
	finished atomic.Int64
}

// MockToken is a task token that a mocked .waitForTaskToken state
// delivered with a Submit response: what the worker would have received.
type MockToken struct {
	// State is the Task state's name.
	State string
	// Attempt counts the tokens of that state from 0.
	Attempt int
	// Token is the task token for SendTask* calls.
	Token string
	// At is when the token was delivered (the service clock's time).
	At time.Time
}

func newMockRun(cfg *mockconfig.Config, testCase string, states map[string]string) *mockRun {
	return &mockRun{cfg: cfg, testCase: testCase, states: states,
		calls: map[string]int{}, progress: make(chan struct{})}
}

// next counts an invocation of state and returns the response name and
// index; ok is false when the test case does not list the state.
func (r *mockRun) next(state string) (resp string, n int, ok bool) {
	resp, ok = r.states[state]
	if !ok {
		return "", 0, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	n = r.calls[state]
	r.calls[state]++
	return resp, n, true
}

// addToken records a token handed to the (imagined) worker.
func (r *mockRun) addToken(state, token string, at time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	attempt := 0
	for _, t := range r.tokens {
		if t.State == state {
			attempt++
		}
	}
	r.tokens = append(r.tokens, MockToken{State: state, Attempt: attempt, Token: token, At: at})
}

// done marks one task invocation as delivered and wakes waiters.
func (r *mockRun) done() {
	r.finished.Add(1)
	r.mu.Lock()
	close(r.progress)
	r.progress = make(chan struct{})
	r.mu.Unlock()
}

func (r *mockRun) progressed() <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.progress
}

// runMocked runs one Task attempt of an execution started with a test
// case: from the mock when the case lists the state, for real otherwise.
// It delivers the outcome itself, then counts the task as finished, so
// WaitIdle never sees a task between its result and its delivery.
func (s *Service) runMocked(e *execution, run *mockRun, c interp.InvokeTask) interp.Event {
	defer run.done()
	name, n, ok := run.next(c.StateName)
	if !ok {
		s.deliver(e, s.runResource(e, c))
		return nil
	}
	resp, ok := run.cfg.Response(name, n)
	if !ok {
		s.deliver(e, taskFailed(c.TaskID, string(asl.StatesRuntime), fmt.Sprintf(
			"The mocked response '%s' of test case '%s' has no entry for invocation %d of state '%s'",
			name, run.testCase, n, c.StateName)))
		return nil
	}
	for _, ev := range mockEvents(c, resp) {
		s.deliver(e, ev)
	}
	if resp.Submit != nil && c.Token != "" {
		run.addToken(c.StateName, c.Token, s.cfg.Clock.Now())
	}
	return nil
}

// mockEvents turns a mocked response into the events of the attempt.
func mockEvents(c interp.InvokeTask, r mockconfig.Response) []interp.Event {
	switch {
	case r.Throw != nil:
		f := interp.TaskFailed{TaskID: c.TaskID}
		if r.Throw.Error != nil {
			f.Error, f.HasError = *r.Throw.Error, true
		}
		if r.Throw.Cause != nil {
			f.Cause, f.HasCause = *r.Throw.Cause, true
		}
		return []interp.Event{f}
	case r.Submit != nil:
		return []interp.Event{interp.TaskInvoked{TaskID: c.TaskID, Output: r.Submit}}
	case c.Token != "":
		// Step Functions Local: the mock stands for the callback.
		return []interp.Event{
			interp.TaskInvoked{TaskID: c.TaskID, Output: json.RawMessage(`{}`)},
			interp.CallbackSuccess{Token: c.Token, Output: string(r.Return)},
		}
	}
	return []interp.Event{interp.TaskInvoked{TaskID: c.TaskID, Output: r.Return}}
}

// mockedItems is interp.Options.ReadItems for the execution e: the items
// of a Distributed Map's ItemReader are the Return (a JSON array) of the
// response its test case mocks the Map state with, or its Throw. Without
// a test case, or one that does not list the state, nothing supplies them.
func (s *Service) mockedItems(e *execution) func(state string) ([]byte, *asl.Failure, bool) {
	return func(state string) ([]byte, *asl.Failure, bool) {
		run := s.mocks.run(e.arn)
		if run == nil {
			return nil, nil, false
		}
		name, n, ok := run.next(state)
		if !ok {
			return nil, nil, false
		}
		resp, ok := run.cfg.Response(name, n)
		switch {
		case !ok:
			f := asl.NewFailure(asl.StatesItemReaderFailed, fmt.Sprintf(
				"The mocked response '%s' of test case '%s' has no entry for invocation %d of state '%s'",
				name, run.testCase, n, state))
			return nil, &f, true
		case resp.Throw != nil:
			var f asl.Failure
			if resp.Throw.Error != nil {
				f.Error, f.HasError = *resp.Throw.Error, true
			}
			if resp.Throw.Cause != nil {
				f.Cause, f.HasCause = *resp.Throw.Cause, true
			}
			return nil, &f, true
		}
		return resp.Return, nil, true
	}
}
