package worker

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/stepwire/stepwire/internal/jobwire"
)

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestHandlerOutcome(t *testing.T) {
	reg := DefaultHandler()
	reg.Register("boom", HandlerFunc(func(context.Context, jobwire.Job) (json.RawMessage, error) {
		panic("kaboom")
	}))
	reg.Register("plain", HandlerFunc(func(context.Context, jobwire.Job) (json.RawMessage, error) {
		return nil, errors.New("disk full")
	}))
	reg.Register("named", HandlerFunc(func(context.Context, jobwire.Job) (json.RawMessage, error) {
		return nil, &JobError{Name: "RowNotFound", Cause: "no row 7"}
	}))
	reg.Register("badjson", HandlerFunc(func(context.Context, jobwire.Job) (json.RawMessage, error) {
		return json.RawMessage(`{nope`), nil
	}))
	reg.Register("nil", HandlerFunc(func(context.Context, jobwire.Job) (json.RawMessage, error) {
		return nil, nil
	}))

	tests := []struct {
		name      string
		jobType   string
		input     string
		result    string // JSON of a success
		errName   string // or the failure name
		causeHint string
	}{
		{name: "sample add", input: `{"a":15,"b":42}`, result: `57`},
		{name: "add by type", jobType: "add", input: `{"a":-2,"b":2}`, result: `0`},
		{name: "add fractions", input: `{"a":1.5,"b":2}`, result: `3.5`},
		{name: "add keeps large integers exact", input: `{"a":9007199254740993,"b":0}`, result: `9007199254740993`},
		{name: "add overflowing int64 falls back to float", input: `{"a":9223372036854775807,"b":1}`, result: `9223372036854776000`},
		{name: "string operand", input: `{"a":"x","b":1}`, errName: FailureInvalidInput, causeHint: `"a" must be a number, got "x"`},
		{name: "missing operand", input: `{"a":1}`, errName: FailureInvalidInput, causeHint: `"b" is missing`},
		{name: "input not an object", input: `[1,2]`, errName: FailureInvalidInput, causeHint: "JSON object"},
		{name: "no input", input: ``, errName: FailureInvalidInput, causeHint: "JSON object"},
		{name: "unknown type", jobType: "fly", input: `{}`, errName: FailureUnknownJobType, causeHint: `"fly"`},
		{name: "panic is a failure", jobType: "boom", errName: FailureHandlerPanic, causeHint: "kaboom"},
		{name: "plain error", jobType: "plain", errName: FailureJobFailed, causeHint: "disk full"},
		{name: "named error", jobType: "named", errName: "RowNotFound", causeHint: "no row 7"},
		{name: "result not JSON", jobType: "badjson", errName: FailureInvalidResult, causeHint: "not JSON"},
		{name: "nil result is null", jobType: "nil", result: `null`},
		{name: "sleep zero", jobType: "sleep", input: `{"seconds":0}`, result: `{"slept":0}`},
		{name: "sleep negative", jobType: "sleep", input: `{"seconds":-1}`, errName: FailureInvalidInput, causeHint: "between 0 and"},
		{name: "sleep too long", jobType: "sleep", input: `{"seconds":1e9}`, errName: FailureInvalidInput, causeHint: "got 1e9"},
		{name: "sleep not a number", jobType: "sleep", input: `{"seconds":"5"}`, errName: FailureInvalidInput, causeHint: "must be a number"},
		{name: "sleep no input", jobType: "sleep", input: `{}`, errName: FailureInvalidInput, causeHint: `"seconds" is missing`},
	}
	w := &Worker{h: reg, logger: discardLogger()}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			job := jobwire.Job{TaskToken: "tok", JobType: tt.jobType, Input: json.RawMessage(tt.input)}
			result, err := w.call(context.Background(), job)
			msg, kind := outcome(job.TaskToken, result, err)
			got, perr := jobwire.ParseResult(msg)
			if perr != nil {
				t.Fatalf("ParseResult(%s): %v", msg, perr)
			}
			if got.Kind != kind || got.TaskToken != "tok" {
				t.Fatalf("message %s: kind %q token %q, reported kind %q", msg, got.Kind, got.TaskToken, kind)
			}
			if tt.errName == "" {
				if got.Kind != jobwire.KindSuccess || string(got.Result) != tt.result {
					t.Fatalf("message %s, want success with result %s", msg, tt.result)
				}
				return
			}
			if got.Kind != jobwire.KindFailure || got.Error != tt.errName || !strings.Contains(got.Cause, tt.causeHint) {
				t.Fatalf("message %s, want failure %s with a cause containing %q", msg, tt.errName, tt.causeHint)
			}
		})
	}
}

func TestCancelFailure(t *testing.T) {
	tests := []struct {
		cause error
		name  string
	}{
		{&cancelledError{reason: "execution stopped"}, FailureJobCancelled},
		{errShutdown, FailureWorkerShutdown},
	}
	for _, tt := range tests {
		var je *JobError
		if !errors.As(cancelFailure(tt.cause), &je) || je.Name != tt.name {
			t.Errorf("cancelFailure(%v) = %v, want name %s", tt.cause, je, tt.name)
		}
	}
}
