package sfnapi

import (
	"context"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/interp"
	"github.com/stepwire/stepwire/emulator/sfnemu"
)

// TestState (docs/step-functions.md §8): the SDKs send it to the host
// "sync-<endpoint host>", as StartSyncExecution.

type testStateInput struct {
	Definition         *string             `json:"definition"`
	StateName          *string             `json:"stateName"`
	RoleArn            *string             `json:"roleArn"`
	Input              *string             `json:"input"`
	InspectionLevel    *string             `json:"inspectionLevel"`
	RevealSecrets      bool                `json:"revealSecrets"`
	Variables          *string             `json:"variables"`
	Context            *string             `json:"context"`
	Mock               *mockInput          `json:"mock"`
	StateConfiguration *stateConfiguration `json:"stateConfiguration"`
}

type mockInput struct {
	Result              *string          `json:"result"`
	ErrorOutput         *mockErrorOutput `json:"errorOutput"`
	FieldValidationMode *string          `json:"fieldValidationMode"`
}

type mockErrorOutput struct {
	Error *string `json:"error"`
	Cause *string `json:"cause"`
}

type stateConfiguration struct {
	RetrierRetryCount        *int64  `json:"retrierRetryCount"`
	ErrorCausedByState       *string `json:"errorCausedByState"`
	MapIterationFailureCount *int64  `json:"mapIterationFailureCount"`
	MapItemReaderData        *string `json:"mapItemReaderData"`
}

type testStateOutput struct {
	Status         string          `json:"status"`
	Output         *string         `json:"output,omitempty"`
	Error          *string         `json:"error,omitempty"`
	Cause          *string         `json:"cause,omitempty"`
	NextState      *string         `json:"nextState,omitempty"`
	InspectionData *inspectionData `json:"inspectionData,omitempty"`
}

type inspectionData struct {
	Input                      *string            `json:"input,omitempty"`
	AfterInputPath             *string            `json:"afterInputPath,omitempty"`
	AfterParameters            *string            `json:"afterParameters,omitempty"`
	AfterArguments             *string            `json:"afterArguments,omitempty"`
	Result                     *string            `json:"result,omitempty"`
	AfterResultSelector        *string            `json:"afterResultSelector,omitempty"`
	AfterResultPath            *string            `json:"afterResultPath,omitempty"`
	Variables                  *string            `json:"variables,omitempty"`
	AfterItemsPath             *string            `json:"afterItemsPath,omitempty"`
	AfterItemSelector          *string            `json:"afterItemSelector,omitempty"`
	MaxConcurrency             *int64             `json:"maxConcurrency,omitempty"`
	AfterItemBatcher           *string            `json:"afterItemBatcher,omitempty"`
	ToleratedFailureCount      *int64             `json:"toleratedFailureCount,omitempty"`
	ToleratedFailurePercentage *float64           `json:"toleratedFailurePercentage,omitempty"`
	ErrorDetails               *inspectionErrDets `json:"errorDetails,omitempty"`
}

type inspectionErrDets struct {
	CatchIndex                  *int64 `json:"catchIndex,omitempty"`
	RetryIndex                  *int64 `json:"retryIndex,omitempty"`
	RetryBackoffIntervalSeconds *int64 `json:"retryBackoffIntervalSeconds,omitempty"`
}

func testState(s *sfnemu.Service, ctx context.Context, r *testStateInput) (any, error) {
	if err := checkTestState(r); err != nil {
		return nil, err
	}
	in := sfnemu.TestStateInput{Definition: *r.Definition, StateName: derefOr(r.StateName), RoleArn: derefOr(r.RoleArn),
		Input: r.Input, Inspect: derefOr(r.InspectionLevel) == "DEBUG" || derefOr(r.InspectionLevel) == "TRACE",
		RevealSecrets: r.RevealSecrets, Variables: r.Variables, Context: r.Context}
	if m := r.Mock; m != nil {
		in.Mock = &sfnemu.TestMock{Result: m.Result, FieldValidationMode: derefOr(m.FieldValidationMode)}
		if e := m.ErrorOutput; e != nil {
			in.Mock.ErrorOutput = &asl.Failure{Error: derefOr(e.Error), HasError: e.Error != nil,
				Cause: derefOr(e.Cause), HasCause: e.Cause != nil}
		}
	}
	if c := r.StateConfiguration; c != nil {
		in.RetrierRetryCount, in.ErrorCausedByState = derefOr(c.RetrierRetryCount), c.ErrorCausedByState
		in.MapIterationFailureCount, in.MapItemReaderData = c.MapIterationFailureCount, c.MapItemReaderData
	}
	out, err := s.TestState(ctx, in)
	if err != nil {
		return nil, err
	}
	return testStateAnswer(out), nil
}

// checkTestState checks the model's constraints.
func checkTestState(r *testStateInput) error {
	var v violations
	v.required("definition", r.Definition != nil)
	if r.Definition != nil {
		v.length("definition", *r.Definition, 1, maxDefinitionLen, true)
	}
	if r.StateName != nil {
		v.length("stateName", *r.StateName, 1, maxNameLen, false)
	}
	if r.RoleArn != nil {
		v.length("roleArn", *r.RoleArn, 1, maxArnLen, false)
	}
	if r.Input != nil {
		v.length("input", *r.Input, 0, maxPayload, true)
	}
	if r.Variables != nil {
		v.length("variables", *r.Variables, 0, maxPayload, true)
	}
	if r.InspectionLevel != nil {
		v.enum("inspectionLevel", *r.InspectionLevel, "INFO", "DEBUG", "TRACE")
	}
	if r.Mock != nil && r.Mock.FieldValidationMode != nil {
		v.enum("mock.fieldValidationMode", *r.Mock.FieldValidationMode, "STRICT", "PRESENT", "NONE")
	}
	if c := r.StateConfiguration; c != nil {
		if c.RetrierRetryCount != nil {
			v.rangeInt("stateConfiguration.retrierRetryCount", *c.RetrierRetryCount, 0, 1<<31-1)
		}
		if c.MapIterationFailureCount != nil {
			v.rangeInt("stateConfiguration.mapIterationFailureCount", *c.MapIterationFailureCount, 0, 1<<31-1)
		}
	}
	return v.err()
}

func testStateAnswer(out sfnemu.TestStateOutput) testStateOutput {
	res := out.TestResult
	a := testStateOutput{Status: string(res.Status), Output: res.Output, Error: res.ErrorPtr(), Cause: res.CausePtr()}
	if res.NextState != "" {
		a.NextState = &res.NextState
	}
	if out.Inspected {
		a.InspectionData = inspection(res.Inspection)
	}
	return a
}

func inspection(in interp.Inspection) *inspectionData {
	d := &inspectionData{Input: in.Input, AfterInputPath: in.AfterInputPath, AfterParameters: in.AfterParameters,
		AfterArguments: in.AfterArguments, Result: in.Result, AfterResultSelector: in.AfterResultSelector,
		AfterResultPath: in.AfterResultPath, Variables: in.Variables, AfterItemsPath: in.AfterItemsPath,
		AfterItemSelector: in.AfterItemSelector, MaxConcurrency: in.MaxConcurrency, AfterItemBatcher: in.AfterItemBatcher,
		ToleratedFailureCount: in.ToleratedFailureCount, ToleratedFailurePercentage: in.ToleratedFailurePercentage}
	if e := in.ErrorDetails; e != nil {
		d.ErrorDetails = &inspectionErrDets{CatchIndex: e.CatchIndex, RetryIndex: e.RetryIndex,
			RetryBackoffIntervalSeconds: e.RetryBackoffIntervalSeconds}
	}
	return d
}
