package awsapi

import (
	"net/http"
	"net/http/httptest"
)

// LocalTransport is an http.RoundTripper that serves requests with h in the
// caller's goroutine, without a socket. The emulator gives it to the AWS SDK
// clients of its in-process Lambdas: they still speak the AWS wire protocol,
// but skip the loopback network.
type LocalTransport struct{ Handler http.Handler }

// RoundTrip implements http.RoundTripper.
func (t LocalTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.Handler.ServeHTTP(rec, req)
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}
