package sfnemu

import (
	"fmt"
	"strings"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
	"github.com/stepwire/stepwire/internal/arn"
)

// What TestState refuses, with AWS's texts where they are recorded
// (docs/step-functions.md §8.4; the others are stepwire's own).

// checkMock refuses a mock that does not fit the request or the state.
func checkMock(r TestStateInput, st asl.State) error {
	typ := st.Common().Type
	if r.Mock == nil {
		return checkUnmocked(r, st)
	}
	if (r.Mock.Result != nil) == (r.Mock.ErrorOutput != nil) {
		return fail(ErrValidation, "A test mock should have only one of the following fields: [result, errorOutput].")
	}
	if r.RevealSecrets {
		return fail(ErrValidation, "TestState does not support RevealSecrets when a mock is specified.")
	}
	switch typ {
	case "Pass", "Succeed", "Fail":
		return failf(ErrValidation, "State type '%s' is not supported when a mock is specified", typ)
	}
	if r.Mock.Result == nil {
		return nil
	}
	return checkMockResult(*r.Mock.Result, st)
}

// checkUnmocked refuses what only a mock can stand for: Map and Parallel
// states, activities, .sync and .waitForTaskToken tasks, and a Map
// iteration failure count.
func checkUnmocked(r TestStateInput, st asl.State) error {
	if r.MapIterationFailureCount != nil {
		return fail(ErrValidation, "TestState does not support MapIterationFailureCount when a mock is not specified.")
	}
	switch s := st.(type) {
	case *asl.Map, *asl.Parallel:
		return fail(ErrInvalidDefinition, "TestState API does not support Map or Parallel states. "+
			"Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]")
	case *asl.Task:
		if isCallbackTask(s.Resource) || strings.Contains(s.Resource, ".sync") {
			return fail(ErrInvalidDefinition, "TestState API does not support Activity tasks, "+
				"or .sync or .waitForTaskToken service integration patterns, when a mock is not specified")
		}
	}
	return nil
}

// checkMockResult checks a mocked result: JSON, an array for a Map (an
// object for a Map with a ResultWriter, whose output describes the
// export), one item per branch for a Parallel.
func checkMockResult(result string, st asl.State) error {
	v, err := jsonv.DecodeString(result)
	if err != nil {
		return fail(ErrValidation, "Mocked result must be valid JSON.")
	}
	arr, isArray := v.([]any)
	switch s := st.(type) {
	case *asl.Map:
		if s.Distributed != nil && s.Distributed.Writer != nil {
			if _, isObject := v.(*jsonv.Object); !isObject {
				return fail(ErrValidation, "Mocked result must be a JSON object.")
			}
		} else if !isArray {
			return fail(ErrValidation, "Mocked result must be an array.")
		}
	case *asl.Parallel:
		if !isArray || len(arr) != len(s.Branches) {
			return fail(ErrValidation, "Mocked result must contain the same number of items as number of Parallel branches.")
		}
	}
	return nil
}

// isCallbackTask reports a resource whose result comes back by callback:
// .waitForTaskToken and activities.
func isCallbackTask(resource string) bool {
	if strings.HasSuffix(resource, ".waitForTaskToken") {
		return true
	}
	a, err := arn.Parse(resource)
	return err == nil && a.Service == "states" && strings.HasPrefix(a.Resource, "activity:")
}

// testContext parses the context member: a JSON object, whose Task member
// is allowed only for a .sync or .waitForTaskToken Task (§1.4).
func testContext(text *string, st asl.State) (*jsonv.Object, error) {
	if text == nil {
		return nil, nil
	}
	v, err := jsonv.DecodeString(*text)
	o, isObject := v.(*jsonv.Object)
	if err != nil || !isObject {
		return nil, fail(ErrInvalidDefinition, "Invalid Context object provided: the context must be a JSON object")
	}
	if _, hasTask := o.Get("Task"); hasTask {
		t, isTask := st.(*asl.Task)
		if !isTask || !strings.HasSuffix(t.Resource, ".waitForTaskToken") && !strings.Contains(t.Resource, ".sync") {
			return nil, fail(ErrInvalidDefinition, "Invalid Context object provided: Context object contains 'Task' "+
				"when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern")
		}
	}
	return o, nil
}

// testVariables parses the variables member: a JSON object.
func testVariables(text *string) (*jsonv.Object, error) {
	if text == nil {
		return nil, nil
	}
	v, err := jsonv.DecodeString(*text)
	o, isObject := v.(*jsonv.Object)
	if err != nil || !isObject {
		return nil, fail(ErrValidation, fmt.Sprintf("Invalid variables: '%s' is not a JSON object", *text))
	}
	return o, nil
}
