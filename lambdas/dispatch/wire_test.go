package dispatch

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stepwire/stepwire/lambdas/internal/awsenv"
)

type request struct {
	method, host, uri, body string
	signed                  bool
}

func TestNewFromEnvWire(t *testing.T) {
	got := make(chan request, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		signed := len(r.Header.Get("Authorization")) > 0
		got <- request{r.Method, r.Host, r.RequestURI, string(body), signed}
	}))
	t.Cleanup(srv.Close)
	awsenv.Set(t, srv.URL)
	t.Setenv("WORKER_TOPIC", "tenant1/to/worker")

	h, err := NewFromEnv(context.Background())
	if err != nil {
		t.Fatalf("NewFromEnv: %v", err)
	}
	event := `{"Input":{"a":15,"b":42},"TaskToken":"tok-1"}`
	if _, err := h.Handle(context.Background(), []byte(event)); err != nil {
		t.Fatalf("Handle: %v", err)
	}
	r := <-got
	want := request{
		method: "POST",
		host:   srv.Listener.Addr().String(), // no host prefix on Publish
		uri:    "/topics/tenant1%2Fto%2Fworker?qos=1",
		body:   event,
		signed: true,
	}
	if r != want {
		t.Fatalf("request:\n got %+v\nwant %+v", r, want)
	}
}

func TestNewFromEnvNeedsTopic(t *testing.T) {
	awsenv.Set(t, "http://127.0.0.1:1")
	t.Setenv("WORKER_TOPIC", "")
	if _, err := NewFromEnv(context.Background()); err == nil {
		t.Fatal("NewFromEnv without WORKER_TOPIC succeeded")
	}
}
