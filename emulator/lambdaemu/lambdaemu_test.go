package lambdaemu

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"
)

// aws-lambda-go's handlers are Handlers.
var _ Handler = lambda.Handler(nil)

type quotaError struct{ msg string }

func (e *quotaError) Error() string { return e.msg }

func TestInvoke(t *testing.T) {
	s := New("us-east-1", "123456789012", nil)
	s.Register(Function{Name: "add", Handler: lambda.NewHandler(func(ctx context.Context, in struct{ A, B int }) (int, error) {
		if in.A < 0 {
			return 0, &quotaError{"negative"}
		}
		return in.A + in.B, nil
	})})
	tests := []struct {
		name, ref, payload string
		want, fnErr        string
		err                error
	}{
		{"by name", "add", `{"A":1,"B":2}`, `3`, "", nil},
		{"by arn", "arn:aws:lambda:us-east-1:123456789012:function:add", `{"A":1,"B":2}`, `3`, "", nil},
		{"by qualified arn", "arn:aws:lambda:us-east-1:123456789012:function:add:$LATEST", `{"A":1,"B":2}`, `3`, "", nil},
		{"by partial arn", "123456789012:function:add", `{"A":1,"B":2}`, `3`, "", nil},
		{"function error", "add", `{"A":-1}`, `{"errorMessage":"negative","errorType":"quotaError"}`, "Unhandled", nil},
		{"unknown", "nope", `{}`, "", "", ErrFunctionNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := s.Invoke(context.Background(), tt.ref, []byte(tt.payload))
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if err != nil {
				return
			}
			if r.FunctionError != tt.fnErr {
				t.Fatalf("FunctionError = %q, want %q", r.FunctionError, tt.fnErr)
			}
			var got, want any
			_ = json.Unmarshal(r.Payload, &got)
			_ = json.Unmarshal([]byte(tt.want), &want)
			if b1, b2 := mustJSON(got), mustJSON(want); b1 != b2 {
				t.Fatalf("payload = %s, want %s", b1, b2)
			}
		})
	}
}

func mustJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

// Close waits for the Event invocations in flight, whose context it
// cancels, and refuses new invocations.
func TestCloseWaitsForAsyncInvocationsAndRefusesNewOnes(t *testing.T) {
	s := New("us-east-1", "123456789012", nil)
	started := make(chan struct{})
	var finished atomic.Bool
	s.Register(Function{Name: "slow", Handler: lambda.NewHandler(func(ctx context.Context) error {
		close(started)
		<-ctx.Done()
		finished.Store(true)
		return nil
	})})
	if err := s.InvokeAsync(context.Background(), "slow", []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	<-started
	s.Close()
	if !finished.Load() {
		t.Fatal("Close returned before the async invocation did")
	}
	if err := s.InvokeAsync(context.Background(), "slow", []byte(`{}`)); !errors.Is(err, ErrClosed) {
		t.Fatalf("InvokeAsync after Close: err = %v, want ErrClosed", err)
	}
	if _, err := s.Invoke(context.Background(), "slow", []byte(`{}`)); !errors.Is(err, ErrClosed) {
		t.Fatalf("Invoke after Close: err = %v, want ErrClosed", err)
	}
	s.Close() // idempotent
}

// A panicking handler fails its invocation with FunctionError "Unhandled"
// and the Lambda Go runtime's panic payload; the service keeps serving.
func TestPanickingHandlerIsAnUnhandledFunctionError(t *testing.T) {
	var logs bytes.Buffer
	s := New("us-east-1", "123456789012", slog.New(slog.NewTextHandler(&logs, nil)))
	defer s.Close()
	s.Register(Function{Name: "bad", Handler: lambda.NewHandler(func(ctx context.Context, in struct{ N int }) (int, error) {
		if in.N == 0 {
			panic("division by zero")
		}
		return 10 / in.N, nil
	})})
	r, err := s.Invoke(context.Background(), "bad", []byte(`{"N":0}`))
	if err != nil {
		t.Fatal(err)
	}
	if r.FunctionError != "Unhandled" {
		t.Fatalf("FunctionError = %q", r.FunctionError)
	}
	var body struct {
		ErrorMessage string `json:"errorMessage"`
		ErrorType    string `json:"errorType"`
		StackTrace   []struct {
			Path  string `json:"path"`
			Line  int    `json:"line"`
			Label string `json:"label"`
		} `json:"stackTrace"`
	}
	if err := json.Unmarshal(r.Payload, &body); err != nil {
		t.Fatal(err)
	}
	if body.ErrorMessage != "division by zero" || body.ErrorType != "string" || len(body.StackTrace) == 0 {
		t.Fatalf("payload %s", r.Payload)
	}
	if !strings.Contains(string(r.Payload), "lambdaemu_test.go") {
		t.Fatalf("stack trace lacks the panicking frame: %s", r.Payload)
	}
	if !strings.Contains(logs.String(), "division by zero") {
		t.Fatalf("the panic was not logged: %s", logs.String())
	}
	if r, err := s.Invoke(context.Background(), "bad", []byte(`{"N":2}`)); err != nil || string(r.Payload) != "5" {
		t.Fatalf("after a panic: %s, %v", r.Payload, err)
	}

	done := make(chan struct{})
	s.Register(Function{Name: "badAsync", Handler: lambda.NewHandler(func(context.Context) error {
		defer close(done)
		panic(errors.New("async boom"))
	})})
	if err := s.InvokeAsync(context.Background(), "badAsync", []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	<-done
	s.Close() // waits for the invocation, which the panic did not take down with the process
	if !strings.Contains(logs.String(), "async boom") {
		t.Fatalf("the async panic was not logged: %s", logs.String())
	}
}
