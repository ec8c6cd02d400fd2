package awsapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// panicky is a router whose every handler panics, and which logs to buf.
func panicky(buf *bytes.Buffer) *Router {
	r := NewRouter()
	r.Logger = slog.New(slog.NewTextHandler(buf, nil))
	r.HandleTarget("AWSStepFunctions", func(context.Context, string, []byte) (any, *Error) { panic("boom in json") })
	r.HandlePrefix("/topics/", http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom in rest") }))
	r.HandlePrefix("/half/", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, `{"partial":`)
		panic("boom after write")
	}))
	return r
}

func decodeError(t *testing.T, resp *http.Response) map[string]string {
	t.Helper()
	defer resp.Body.Close()
	var body map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("error body: %v", err)
	}
	return body
}

// A panicking handler gets a 500 InternalFailure in the protocol's error
// shape; the panic and its stack are logged; the server keeps serving.
func TestRouterAnswersAPanicWithInternalFailure(t *testing.T) {
	var logs bytes.Buffer
	srv := httptest.NewServer(panicky(&logs))
	defer srv.Close()

	for range 2 { // the second request proves the server survived the first
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(`{}`))
		req.Header.Set("X-Amz-Target", "AWSStepFunctions.ListStateMachines")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusInternalServerError || resp.Header.Get("X-Amzn-ErrorType") != "InternalFailure" {
			t.Fatalf("status %d, error type %q", resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"))
		}
		if body := decodeError(t, resp); body["__type"] != "InternalFailure" || body["message"] != internalFailureMessage {
			t.Fatalf("awsJson body %v", body)
		}
	}
	resp, err := http.Post(srv.URL+"/topics/a", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	if body := decodeError(t, resp); resp.StatusCode != 500 || body["message"] != internalFailureMessage {
		t.Fatalf("REST: status %d, body %v", resp.StatusCode, body)
	}
	for _, want := range []string{"boom in json", "boom in rest", "recover_test.go"} {
		if !strings.Contains(logs.String(), want) {
			t.Fatalf("log lacks %q:\n%s", want, logs.String())
		}
	}
	// A panic after the response began aborts the connection rather than
	// sending a truncated success.
	if resp, err := http.Get(srv.URL + "/half/x"); err == nil {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if json.Valid(b) {
			t.Fatalf("a response cut by a panic arrived whole: %s", b)
		}
	}
}

func TestLocalTransportAnswersAPanicWithInternalFailure(t *testing.T) {
	var logs bytes.Buffer
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/half/") {
			_, _ = io.WriteString(w, "{")
		}
		panic("boom in transport")
	})
	c := &http.Client{Transport: LocalTransport{Handler: h, Logger: slog.New(slog.NewTextHandler(&logs, nil))}}
	req, _ := http.NewRequest(http.MethodPost, "http://local/", strings.NewReader(`{}`))
	req.Header.Set("X-Amz-Target", "AWSStepFunctions.ListStateMachines")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if body := decodeError(t, resp); resp.StatusCode != 500 || body["__type"] != "InternalFailure" {
		t.Fatalf("status %d, body %v", resp.StatusCode, body)
	}
	if !strings.Contains(logs.String(), "boom in transport") {
		t.Fatalf("log lacks the panic:\n%s", logs.String())
	}
	_, err = c.Get("http://local/half/x")
	if !errors.Is(err, errPanicAfterWrite) {
		t.Fatalf("panic after write: err = %v", err)
	}
}
