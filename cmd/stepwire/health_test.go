package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

// health passes when /_stepwire/endpoints answers 200 and fails on any
// other status, a closed port or a stray argument.
func TestHealth(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/_stepwire/endpoints" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	ctx := context.Background()
	if err := run(ctx, []string{"health", "--endpoint", srv.URL + "/"}); err != nil {
		t.Fatalf("healthy emulator: %v", err)
	}
	down := httptest.NewServer(http.NotFoundHandler())
	if err := run(ctx, []string{"health", "--endpoint", down.URL}); err == nil {
		t.Error("a 404 passed")
	}
	down.Close()
	if err := run(ctx, []string{"health", "--endpoint", down.URL}); err == nil {
		t.Error("a closed port passed")
	}
	if err := run(ctx, []string{"health", "extra"}); err == nil {
		t.Error("an extra argument passed")
	}
}
