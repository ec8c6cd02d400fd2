package awsapi

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
)

// LocalTransport is an http.RoundTripper that serves requests with h in the
// caller's goroutine, without a socket. The emulator gives it to the AWS SDK
// clients of its in-process Lambdas: they still speak the AWS wire protocol,
// but skip the loopback network.
// A handler that panics gets a 500 InternalFailure in AWS's error shape, or
// fails the round trip when it had begun its response.
type LocalTransport struct {
	Handler http.Handler
	// Logger receives the stack of each panic; slog.Default() when nil
	// (hop.OrDefault, stepwire's one default).
	Logger *slog.Logger
}

// RoundTrip implements http.RoundTripper.
func (t LocalTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	if err := serveRecovered(rec, req, t.Handler, t.Logger); err != nil {
		return nil, fmt.Errorf("local transport: %w", err)
	}
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}
