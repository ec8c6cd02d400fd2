package lambdaemu

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"
)

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
