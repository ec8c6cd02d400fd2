package awsapi

import (
	"context"
	"errors"
	"testing"
)

func TestOperations(t *testing.T) {
	errDomain := errors.New("domain")
	ops := map[string]Operation[string]{
		"Echo":    func(svc string, _ context.Context, body []byte) (any, error) { return svc + string(body), nil },
		"Wire":    func(string, context.Context, []byte) (any, error) { return nil, &Error{Code: "ValidationException"} },
		"Domain":  func(string, context.Context, []byte) (any, error) { return nil, errDomain },
		"Nothing": func(string, context.Context, []byte) (any, error) { return None(nil) },
	}
	toAWS := func(err error) *Error { return &Error{Code: "Mapped", Message: err.Error()} }
	h := Operations("svc:", "Prefix", ops, toAWS)
	tests := []struct {
		op       string
		want     any
		wantCode string
	}{
		{op: "Echo", want: "svc:x"},
		{op: "Nothing", want: Empty{}},
		{op: "Wire", wantCode: "ValidationException"},
		{op: "Domain", wantCode: "Mapped"},
		{op: "Missing", wantCode: "UnknownOperationException"},
	}
	for _, tt := range tests {
		out, err := h(context.Background(), tt.op, []byte("x"))
		if tt.wantCode != "" {
			if err == nil || err.Code != tt.wantCode {
				t.Errorf("%s: error %v, want %s", tt.op, err, tt.wantCode)
			}
			continue
		}
		if err != nil || out != tt.want {
			t.Errorf("%s = %v, %v; want %v", tt.op, out, err, tt.want)
		}
	}
}
