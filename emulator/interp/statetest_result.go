package interp

import (
	"math"
	"strings"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// TestStatus is the status of a state test.
type TestStatus string

// The statuses TestState answers with.
const (
	TestSucceeded   TestStatus = "SUCCEEDED"
	TestFailed      TestStatus = "FAILED"
	TestRetriable   TestStatus = "RETRIABLE"
	TestCaughtError TestStatus = "CAUGHT_ERROR"
)

// TestResult is what a state test found.
type TestResult struct {
	Status TestStatus
	// Output is the state output (SUCCEEDED and CAUGHT_ERROR).
	Output *string
	// Failure is the error of a FAILED, RETRIABLE or CAUGHT_ERROR test.
	asl.Failure
	// NextState is the state an execution would go to next; empty when
	// the state ends the execution or failed.
	NextState string
	// Inspection is the state's data flow, step by step.
	Inspection Inspection
}

// Result reports the outcome of a finished test.
func (t *StateTest) Result() TestResult {
	var res TestResult
	f, failed := t.failure()
	switch {
	case t.retried:
		res.Status, res.Failure = TestRetriable, f
	case t.last.Status == StatusSucceeded && failed:
		res.Status, res.Failure = TestCaughtError, f
	case t.last.Status == StatusSucceeded:
		res.Status = TestSucceeded
	default:
		res.Status, res.Failure = TestFailed, t.last.Failure
	}
	if res.Status == TestSucceeded || res.Status == TestCaughtError {
		res.Output, res.NextState = t.exit()
	}
	res.Inspection = t.inspect(res)
	res.Inspection.ErrorDetails = t.errorDetails(res)
	return res
}

// exit reads the tested state's output and the state entered after it.
func (t *StateTest) exit() (*string, string) {
	var out *string
	next := ""
	entered := 0
	for _, ev := range t.events {
		switch d := ev.Details.(type) {
		case *StateExitedDetails:
			if out == nil {
				out = d.Output
			}
		case *StateEnteredDetails:
			if entered++; entered == 2 {
				next = d.Name
			}
		}
	}
	return out, next
}

// failure is the last error the tested state raised, if any.
func (t *StateTest) failure() (asl.Failure, bool) {
	var f asl.Failure
	found := false
	for _, ev := range t.events {
		if strings.HasPrefix(string(ev.Type), "Execution") {
			continue
		}
		switch d := ev.Details.(type) {
		case *TaskErrorDetails:
			f, found = failureOf(d.Error, d.Cause), true
		case *ErrorDetails:
			f, found = failureOf(d.Error, d.Cause), true
		case *EvaluationFailedDetails:
			f, found = asl.NewFailure(asl.ErrorName(d.Error), d.Cause), true
		}
	}
	return f, found
}

func failureOf(name, cause *string) asl.Failure {
	var f asl.Failure
	if name != nil {
		f.Error, f.HasError = *name, true
	}
	if cause != nil {
		f.Cause, f.HasCause = *cause, true
	}
	return f
}

// TestErrorDetails are inspectionData.errorDetails: which catcher took the
// error, or which retrier would retry it and after how long.
type TestErrorDetails struct {
	CatchIndex, RetryIndex, RetryBackoffIntervalSeconds *int64
}

func (t *StateTest) errorDetails(res TestResult) *TestErrorDetails {
	switch res.Status {
	case TestCaughtError:
		for i, c := range catchersOf(standIn(t.state)) {
			if (taskError{Failure: res.Failure}).matches(c.ErrorEquals) {
				return &TestErrorDetails{CatchIndex: intPtr(int64(i))}
			}
		}
	case TestRetriable:
		secs := int64(math.Ceil(t.retryAt.Sub(t.now).Seconds()))
		return &TestErrorDetails{RetryIndex: intPtr(t.retryIndex(res.Failure)), RetryBackoffIntervalSeconds: intPtr(secs)}
	}
	return nil
}

// retryIndex is the retrier that armed the retry: the one whose count
// moved, or else the first that matches the error.
func (t *StateTest) retryIndex(f asl.Failure) int64 {
	r := t.m.root.cur
	if r != nil && r.task != nil && len(t.retries) == len(r.task.retries) {
		for i, n := range r.task.retries {
			if n != t.retries[i] {
				return int64(i)
			}
		}
	}
	if task, ok := standIn(t.state).(*asl.Task); ok {
		for i, rt := range task.Retry {
			if (taskError{Failure: f}).matches(rt.ErrorEquals) {
				return int64(i)
			}
		}
	}
	return 0
}

// variablesAfter are the variables the state saw, with those it assigned.
func (t *StateTest) variablesAfter() *jsonv.Object {
	vars := jsonv.NewObject(0)
	if t.setup.Variables != nil {
		for _, mb := range t.setup.Variables.Members {
			vars.Set(mb.Key, mb.Value)
		}
	}
	for _, ev := range t.events {
		d, ok := ev.Details.(*StateExitedDetails)
		if !ok {
			continue
		}
		for _, k := range sortedKeys(d.AssignedVariables) {
			if v, err := jsonv.DecodeString(d.AssignedVariables[k]); err == nil {
				vars.Set(k, v)
			}
		}
		break
	}
	return vars
}
