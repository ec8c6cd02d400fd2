package sfnemu

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

// TestState through the Go SDK (docs/step-functions.md §8). Each case
// cites the AWS page it follows: [iso] is the developer guide's
// test-state-isolation page, [api] the API reference's TestState page
// (https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html).

func (h *harness) testState(in *sfn.TestStateInput) (*sfn.TestStateOutput, error) {
	h.t.Helper()
	return h.client.TestState(context.Background(), in, disableHostPrefix)
}

// want is what a test expects; empty fields are not checked, "-" means
// absent.
type want struct {
	status                types.TestExecutionStatus
	output, next          string
	err, cause            string
	afterInputPath        string
	afterParameters       string
	afterArguments        string
	result                string
	afterResultSelector   string
	afterResultPath       string
	variables             string
	afterItemsPath        string
	afterItemSelector     string
	catchIndex, retryIdx  *int32
	backoff               *int32
	noInspection          bool
	checkInspectionAbsent bool
}

func (w want) check(t *testing.T, out *sfn.TestStateOutput) {
	t.Helper()
	require.Equal(t, w.status, out.Status)
	eqOpt(t, "output", w.output, out.Output)
	eqOpt(t, "nextState", w.next, out.NextState)
	eqOpt(t, "error", w.err, out.Error)
	eqOpt(t, "cause", w.cause, out.Cause)
	if w.noInspection {
		require.Nil(t, out.InspectionData)
		return
	}
	d := out.InspectionData
	require.NotNil(t, d)
	for _, f := range []struct {
		name, want string
		got        *string
	}{{"afterInputPath", w.afterInputPath, d.AfterInputPath}, {"afterParameters", w.afterParameters, d.AfterParameters},
		{"afterArguments", w.afterArguments, d.AfterArguments}, {"result", w.result, d.Result},
		{"afterResultSelector", w.afterResultSelector, d.AfterResultSelector},
		{"afterResultPath", w.afterResultPath, d.AfterResultPath}, {"variables", w.variables, d.Variables},
		{"afterItemsPath", w.afterItemsPath, d.AfterItemsPath}, {"afterItemSelector", w.afterItemSelector, d.AfterItemSelector}} {
		eqOpt(t, f.name, f.want, f.got)
	}
	if w.catchIndex != nil || w.retryIdx != nil {
		require.NotNil(t, d.ErrorDetails)
		require.Equal(t, w.catchIndex, d.ErrorDetails.CatchIndex)
		require.Equal(t, w.retryIdx, d.ErrorDetails.RetryIndex)
		require.Equal(t, w.backoff, d.ErrorDetails.RetryBackoffIntervalSeconds)
	}
}

// eqOpt compares an optional member: "" is not checked, "-" is absent,
// JSON texts compare as JSON.
func eqOpt(t *testing.T, name, want string, got *string) {
	t.Helper()
	switch want {
	case "":
		return
	case "-":
		require.Nil(t, got, name)
		return
	}
	require.NotNil(t, got, name)
	if json.Valid([]byte(want)) && json.Valid([]byte(*got)) {
		require.JSONEq(t, want, *got, name)
		return
	}
	require.Equal(t, want, *got, name)
}

func i32(n int32) *int32 { return &n }

func TestTestStateRunsOneState(t *testing.T) {
	h := newHarness(t)
	debug := types.InspectionLevelDebug
	cases := []struct {
		name string
		in   sfn.TestStateInput
		want want
	}{{
		// [iso] "Pass state": the data flow steps in inspectionData.
		name: "pass data flow",
		in: sfn.TestStateInput{Definition: aws.String(`{"Type":"Pass","InputPath":"$.a","Parameters":{"x.$":"$.b"},` +
			`"ResultPath":"$.r","OutputPath":"$.r","Next":"After"}`), Input: aws.String(`{"a":{"b":1}}`), InspectionLevel: debug},
		want: want{status: types.TestExecutionStatusSucceeded, output: `{"x":1}`, next: "After",
			afterInputPath: `{"b":1}`, afterParameters: `{"x":1}`, result: `{"x":1}`, afterResultPath: `{"a":{"b":1},"r":{"x":1}}`},
	}, {
		// [api] inspectionLevel INFO (the default) returns no inspectionData.
		name: "info has no inspection data",
		in:   sfn.TestStateInput{Definition: aws.String(`{"Type":"Pass","End":true}`), Input: aws.String(`{"a":1}`)},
		want: want{status: types.TestExecutionStatusSucceeded, output: `{"a":1}`, next: "-", noInspection: true},
	}, {
		// [api] nextState: the state a Choice chooses.
		name: "choice chooses",
		in: sfn.TestStateInput{Definition: aws.String(`{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":5,` +
			`"Next":"Big"}],"Default":"Small"}`), Input: aws.String(`{"n":9}`)},
		want: want{status: types.TestExecutionStatusSucceeded, output: `{"n":9}`, next: "Big", noInspection: true},
	}, {
		name: "choice default",
		in: sfn.TestStateInput{Definition: aws.String(`{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":5,` +
			`"Next":"Big"}],"Default":"Small"}`), Input: aws.String(`{"n":1}`)},
		want: want{status: types.TestExecutionStatusSucceeded, next: "Small", noInspection: true},
	}, {
		// [iso] a Wait state is tested without waiting.
		name: "wait returns at once",
		in:   sfn.TestStateInput{Definition: aws.String(`{"Type":"Wait","Seconds":86400,"Next":"Later"}`), Input: aws.String(`{"w":1}`)},
		want: want{status: types.TestExecutionStatusSucceeded, output: `{"w":1}`, next: "Later", noInspection: true},
	}, {
		name: "succeed",
		in:   sfn.TestStateInput{Definition: aws.String(`{"Type":"Succeed","OutputPath":"$.o"}`), Input: aws.String(`{"o":2}`)},
		want: want{status: types.TestExecutionStatusSucceeded, output: `2`, next: "-", noInspection: true},
	}, {
		name: "fail",
		in:   sfn.TestStateInput{Definition: aws.String(`{"Type":"Fail","Error":"Boom","Cause":"it broke"}`)},
		want: want{status: types.TestExecutionStatusFailed, err: "Boom", cause: "it broke", output: "-", noInspection: true},
	}, {
		// [api] stateName: one state of a whole machine.
		name: "state of a machine",
		in: sfn.TestStateInput{Definition: aws.String(`{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},` +
			`"B":{"Type":"Pass","Result":"b","Next":"C"},"C":{"Type":"Succeed"}}}`), StateName: aws.String("B")},
		want: want{status: types.TestExecutionStatusSucceeded, output: `"b"`, next: "C", noInspection: true},
	}, {
		// [api] variables: the workflow variables the state sees; Assign adds to them.
		name: "variables and assign",
		in: sfn.TestStateInput{Definition: aws.String(`{"Type":"Pass","Assign":{"sum.$":"States.MathAdd($x, $.d)"},"End":true}`),
			Input: aws.String(`{"d":2}`), Variables: aws.String(`{"x":40}`), InspectionLevel: debug},
		want: want{status: types.TestExecutionStatusSucceeded, output: `{"d":2}`, variables: `{"x":40,"sum":42}`},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := h.testState(&c.in)
			require.NoError(t, err)
			c.want.check(t, out)
		})
	}
}

func TestTestStateTasks(t *testing.T) {
	h := newHarness(t)
	debug := types.InspectionLevelDebug
	h.invoke = func(_ context.Context, fn string, p []byte) (InvokeResult, error) {
		if fn == "broken" {
			return InvokeResult{FunctionError: "Unhandled", Payload: []byte(`{"errorType":"KeyError","errorMessage":"k"}`)}, nil
		}
		return InvokeResult{Payload: append([]byte(`{"echo":`), append(p, '}')...)}, nil
	}
	const retrying = `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},` +
		`"Retry":[{"ErrorEquals":["Other"],"MaxAttempts":1},{"ErrorEquals":["States.ALL"],"IntervalSeconds":2,"BackoffRate":2,"MaxAttempts":3}],` +
		`"Catch":[{"ErrorEquals":["Other"],"Next":"No"},{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"Handler"}],"Next":"Done"}`
	cases := []struct {
		name string
		in   sfn.TestStateInput
		want want
	}{{
		// [api] "mock": the mocked result goes through ResultSelector and ResultPath.
		name: "mocked result",
		in: sfn.TestStateInput{Definition: aws.String(`{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",` +
			`"Parameters":{"FunctionName":"f","Payload.$":"$"},"ResultSelector":{"p.$":"$.Payload"},"ResultPath":"$.out","Next":"N"}`),
			Input: aws.String(`{"in":1}`), InspectionLevel: debug, Mock: &types.MockInput{Result: aws.String(`{"Payload":7}`)}},
		want: want{status: types.TestExecutionStatusSucceeded, output: `{"in":1,"out":{"p":7}}`, next: "N",
			afterInputPath: `{"in":1}`, afterParameters: `{"FunctionName":"f","Payload":{"in":1}}`, result: `{"Payload":7}`,
			afterResultSelector: `{"p":7}`, afterResultPath: `{"in":1,"out":{"p":7}}`},
	}, {
		// [iso] without a mock the Task calls the integration (here the emulator's Lambda).
		name: "real lambda invoke",
		in: sfn.TestStateInput{Definition: aws.String(`{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",` +
			`"Parameters":{"FunctionName":"f","Payload.$":"$"},"OutputPath":"$.Payload","End":true}`), Input: aws.String(`{"v":3}`)},
		want: want{status: types.TestExecutionStatusSucceeded, output: `{"echo":{"v":3}}`, next: "-", noInspection: true},
	}, {
		name: "real lambda error fails",
		in: sfn.TestStateInput{Definition: aws.String(`{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",` +
			`"Parameters":{"FunctionName":"broken"},"End":true}`)},
		want: want{status: types.TestExecutionStatusFailed, err: "KeyError", output: "-", noInspection: true},
	}, {
		// [api] RETRIABLE: a retrier would try again; errorDetails says which and after how long.
		name: "retriable",
		in: sfn.TestStateInput{Definition: aws.String(retrying), InspectionLevel: debug,
			Mock:               &types.MockInput{ErrorOutput: &types.MockErrorOutput{Error: aws.String("Boom"), Cause: aws.String("c")}},
			StateConfiguration: &types.TestStateConfiguration{RetrierRetryCount: aws.Int32(2)}},
		want: want{status: types.TestExecutionStatusRetriable, err: "Boom", cause: "c", output: "-",
			retryIdx: i32(1), backoff: i32(8)},
	}, {
		// [api] CAUGHT_ERROR: the retrier is spent, a catcher takes the error.
		name: "caught",
		in: sfn.TestStateInput{Definition: aws.String(retrying), InspectionLevel: debug, Input: aws.String(`{"k":1}`),
			Mock:               &types.MockInput{ErrorOutput: &types.MockErrorOutput{Error: aws.String("Boom"), Cause: aws.String("c")}},
			StateConfiguration: &types.TestStateConfiguration{RetrierRetryCount: aws.Int32(3)}},
		want: want{status: types.TestExecutionStatusCaughtError, err: "Boom", cause: "c", next: "Handler",
			output: `{"k":1,"err":{"Error":"Boom","Cause":"c"}}`, catchIndex: i32(1)},
	}, {
		// [api] a real failure goes through Retry too.
		name: "real failure retriable",
		in: sfn.TestStateInput{Definition: aws.String(`{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",` +
			`"Parameters":{"FunctionName":"broken"},"Retry":[{"ErrorEquals":["KeyError"]}],"End":true}`), InspectionLevel: debug},
		want: want{status: types.TestExecutionStatusRetriable, err: "KeyError", retryIdx: i32(0), backoff: i32(1)},
	}, {
		// [api] a .waitForTaskToken task can be tested with a mock: the mock is the callback.
		name: "callback task mocked",
		in: sfn.TestStateInput{Definition: aws.String(`{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",` +
			`"Parameters":{"FunctionName":"f","Payload":{"t.$":"$$.Task.Token"}},"End":true}`),
			Mock: &types.MockInput{Result: aws.String(`{"done":true}`)}},
		want: want{status: types.TestExecutionStatusSucceeded, output: `{"done":true}`, noInspection: true},
	}, {
		// [iso] JSONata: afterArguments instead of afterParameters.
		name: "jsonata task",
		in: sfn.TestStateInput{Definition: aws.String(`{"Type":"Task","QueryLanguage":"JSONata","Resource":"arn:aws:states:::lambda:invoke",` +
			`"Arguments":{"FunctionName":"f","Payload":"{% $states.input.a %}"},"Output":"{% $states.result.Payload %}","End":true}`),
			Input: aws.String(`{"a":5}`), InspectionLevel: debug, Mock: &types.MockInput{Result: aws.String(`{"Payload":6}`)}},
		want: want{status: types.TestExecutionStatusSucceeded, output: `6`, afterArguments: `{"FunctionName":"f","Payload":5}`,
			result: `{"Payload":6}`, afterParameters: "-"},
	}, {
		// [api] Map with a mock: the mocked result is the Map's result; inspectionData shows the items.
		name: "map mocked",
		in: sfn.TestStateInput{Definition: aws.String(`{"Type":"Map","ItemsPath":"$.xs","ItemSelector":{"v.$":"$$.Map.Item.Value"},` +
			`"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"ResultPath":"$.ys","End":true}`),
			Input: aws.String(`{"xs":[1,2]}`), InspectionLevel: debug, Mock: &types.MockInput{Result: aws.String(`[10,20]`)}},
		want: want{status: types.TestExecutionStatusSucceeded, output: `{"xs":[1,2],"ys":[10,20]}`,
			afterItemsPath: `[1,2]`, afterItemSelector: `[{"v":1},{"v":2}]`, result: `[10,20]`},
	}, {
		// [api] mapIterationFailureCount: more failed iterations than tolerated fail the Map.
		name: "map iterations failed",
		in: sfn.TestStateInput{Definition: aws.String(`{"Type":"Map","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}`),
			Input: aws.String(`[1]`), Mock: &types.MockInput{Result: aws.String(`[1]`)},
			StateConfiguration: &types.TestStateConfiguration{MapIterationFailureCount: aws.Int32(1)}},
		want: want{status: types.TestExecutionStatusFailed, err: "States.ExceedToleratedFailureThreshold", noInspection: true},
	}, {
		name: "parallel mocked",
		in: sfn.TestStateInput{Definition: aws.String(`{"Type":"Parallel","Branches":[{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}],` +
			`"Next":"N"}`), Mock: &types.MockInput{Result: aws.String(`[{"b":1}]`)}},
		want: want{status: types.TestExecutionStatusSucceeded, output: `[{"b":1}]`, next: "N", noInspection: true},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := h.testState(&c.in)
			require.NoError(t, err)
			c.want.check(t, out)
		})
	}
}

func TestTestStateRefuses(t *testing.T) {
	h := newHarness(t)
	const (
		task   = `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},"End":true}`
		mapDef = `{"Type":"Map","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}`
		par    = `{"Type":"Parallel","Branches":[{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},` +
			`{"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}}],"End":true}`
	)
	result := &types.MockInput{Result: aws.String(`{}`)}
	cases := []struct {
		name          string
		in            sfn.TestStateInput
		code, message string
	}{{
		// [iso] Pass, Succeed and Fail cannot be mocked.
		name: "pass with mock", in: sfn.TestStateInput{Definition: aws.String(`{"Type":"Pass","End":true}`), Mock: result},
		code: "ValidationException", message: "State type 'Pass' is not supported when a mock is specified",
	}, {
		// [api] Map and Parallel only with a mock.
		name: "map without mock", in: sfn.TestStateInput{Definition: aws.String(mapDef)},
		code:    "InvalidDefinition",
		message: "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]",
	}, {
		name: "parallel without mock", in: sfn.TestStateInput{Definition: aws.String(par)},
		code:    "InvalidDefinition",
		message: "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]",
	}, {
		// [api] MockInput: result or errorOutput, not both.
		name: "both mock fields",
		in: sfn.TestStateInput{Definition: aws.String(task), Mock: &types.MockInput{Result: aws.String(`1`),
			ErrorOutput: &types.MockErrorOutput{Error: aws.String("E")}}},
		code: "ValidationException", message: "A test mock should have only one of the following fields: [result, errorOutput].",
	}, {
		name: "reveal secrets with mock", in: sfn.TestStateInput{Definition: aws.String(task), Mock: result, RevealSecrets: true},
		code: "ValidationException", message: "TestState does not support RevealSecrets when a mock is specified.",
	}, {
		name: "map result not an array", in: sfn.TestStateInput{Definition: aws.String(mapDef), Mock: result},
		code: "ValidationException", message: "Mocked result must be an array.",
	}, {
		// [AWS-snap] a Map with a ResultWriter outputs the export's details.
		name: "map with a result writer, result not an object",
		in: sfn.TestStateInput{Definition: aws.String(`{"Type":"Map","ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"b","Prefix":"p"}},` +
			`"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}`),
			Mock: &types.MockInput{Result: aws.String(`[1]`)}},
		code: "ValidationException", message: "Mocked result must be a JSON object.",
	}, {
		name: "parallel result of the wrong length",
		in:   sfn.TestStateInput{Definition: aws.String(par), Mock: &types.MockInput{Result: aws.String(`[1]`)}},
		code: "ValidationException", message: "Mocked result must contain the same number of items as number of Parallel branches.",
	}, {
		name: "iteration failures without mock",
		in: sfn.TestStateInput{Definition: aws.String(task),
			StateConfiguration: &types.TestStateConfiguration{MapIterationFailureCount: aws.Int32(1)}},
		code: "ValidationException", message: "TestState does not support MapIterationFailureCount when a mock is not specified.",
	}, {
		// [api] context: Task only for a .sync or .waitForTaskToken Task.
		name: "context with Task", in: sfn.TestStateInput{Definition: aws.String(task), Mock: result,
			Context: aws.String(`{"Task":{"Token":"t"}}`)},
		code: "InvalidDefinition", message: "Invalid Context object provided: Context object contains 'Task' when state is not " +
			"a Task state with a '.sync' or '.waitForTaskToken' service integration pattern",
	}, {
		name: "callback task without mock",
		in: sfn.TestStateInput{Definition: aws.String(`{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",` +
			`"Parameters":{"FunctionName":"f"},"End":true}`)},
		code: "InvalidDefinition", message: "TestState API does not support Activity tasks, or .sync or .waitForTaskToken " +
			"service integration patterns, when a mock is not specified",
	}, {
		// [api] Errors: InvalidDefinition, InvalidExecutionInput.
		name: "invalid definition", in: sfn.TestStateInput{Definition: aws.String(`{"Type":"Pass"}`)},
		code: "InvalidDefinition",
	}, {
		name: "bad input", in: sfn.TestStateInput{Definition: aws.String(`{"Type":"Pass","End":true}`), Input: aws.String(`not json`)},
		code: "InvalidExecutionInput", message: "Invalid State Machine Execution Input: 'Unrecognized token 'not': was expecting " +
			"(JSON String, Number, Array, Object or token 'null', 'true' or 'false')'",
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := h.testState(&c.in)
			if c.message == "" {
				var ae interface{ ErrorCode() string }
				require.ErrorAs(t, err, &ae)
				require.Equal(t, c.code, ae.ErrorCode())
				return
			}
			requireAPIError(t, err, c.code, c.message)
		})
	}
}

// [api] "The TestState API can run for up to five minutes. If the
// execution of a state exceeds this duration, it fails with the
// States.Timeout error."
func TestTestStateTimesOut(t *testing.T) {
	h := newHarness(t)
	called, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	h.invoke = func(context.Context, string, []byte) (InvokeResult, error) {
		close(called)
		<-release
		return InvokeResult{Payload: []byte(`{}`)}, nil
	}
	go func() {
		<-called
		h.clk.Advance(TestMaxDuration)
	}()
	out, err := h.testState(&sfn.TestStateInput{Definition: aws.String(`{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",` +
		`"Parameters":{"FunctionName":"slow"},"Catch":[{"ErrorEquals":["States.ALL"],"Next":"X"}],"End":true}`)})
	require.NoError(t, err)
	require.Equal(t, types.TestExecutionStatusFailed, out.Status)
	require.Equal(t, "States.Timeout", aws.ToString(out.Error))
}
