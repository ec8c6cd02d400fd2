package complete

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stepwire/stepwire/lambdas/internal/awsenv"
)

type request struct {
	method, path, target, contentType, body string
}

func TestNewFromEnvWire(t *testing.T) {
	got := make(chan request, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- request{r.Method, r.URL.Path, r.Header.Get("X-Amz-Target"), r.Header.Get("Content-Type"), string(body)}
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		_, _ = io.WriteString(w, `{}`)
	}))
	t.Cleanup(srv.Close)
	awsenv.Set(t, srv.URL)

	h, err := NewFromEnv(context.Background())
	if err != nil {
		t.Fatalf("NewFromEnv: %v", err)
	}
	if err := h.Handle(context.Background(), []byte(`{"TaskToken":"tok-1","result":57}`)); err != nil {
		t.Fatalf("Handle: %v", err)
	}
	r := <-got
	want := request{
		method: "POST", path: "/",
		target:      "AWSStepFunctions.SendTaskSuccess",
		contentType: "application/x-amz-json-1.0",
		body:        `{"output":"{\"result\":57}","taskToken":"tok-1"}`,
	}
	if r != want {
		t.Fatalf("request:\n got %+v\nwant %+v", r, want)
	}
}

// SendTaskFailure carries error and cause only when the worker sent them,
// so the execution's TaskFailed event omits the keys it did not get.
func TestNewFromEnvFailureFieldsOnTheWire(t *testing.T) {
	bodies := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		bodies <- r.Header.Get("X-Amz-Target") + " " + string(body)
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		_, _ = io.WriteString(w, `{}`)
	}))
	t.Cleanup(srv.Close)
	awsenv.Set(t, srv.URL)
	h, err := NewFromEnv(context.Background())
	if err != nil {
		t.Fatalf("NewFromEnv: %v", err)
	}
	const target = "AWSStepFunctions.SendTaskFailure "
	tests := []struct{ name, msg, body string }{
		{"error and cause", `{"TaskToken":"t","error":"Boom","cause":"why"}`, `{"cause":"why","error":"Boom","taskToken":"t"}`},
		{"error only", `{"TaskToken":"t","error":"Boom"}`, `{"error":"Boom","taskToken":"t"}`},
		{"sample exception", `{"TaskToken":"t","exception":"ValueError"}`, `{"error":"ValueError","taskToken":"t"}`},
		{"cause only", `{"TaskToken":"t","kind":"failure","cause":"why"}`, `{"cause":"why","taskToken":"t"}`},
		{"neither", `{"TaskToken":"t","kind":"failure"}`, `{"taskToken":"t"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := h.Handle(context.Background(), []byte(tt.msg)); err != nil {
				t.Fatalf("Handle: %v", err)
			}
			if got := <-bodies; got != target+tt.body {
				t.Fatalf("request:\n got %s\nwant %s", got, target+tt.body)
			}
		})
	}
}

func TestNewFromEnvTaskTimedOutOnTheWire(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"__type":"com.amazonaws.swf.service.v2.model#TaskTimedOut","message":"Task Timed Out"}`)
	}))
	t.Cleanup(srv.Close)
	awsenv.Set(t, srv.URL)

	h, err := NewFromEnv(context.Background())
	if err != nil {
		t.Fatalf("NewFromEnv: %v", err)
	}
	if err := h.Handle(context.Background(), []byte(`{"TaskToken":"tok-1","result":57}`)); err != nil {
		t.Fatalf("Handle = %v, want nil for a timed-out task", err)
	}
}
