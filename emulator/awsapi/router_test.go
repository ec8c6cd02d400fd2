package awsapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A body over the limit is refused as too large, never cut and handed on
// as malformed JSON.
func TestOversizedBodyIsRefused(t *testing.T) {
	r := NewRouter()
	called := false
	r.HandleTarget("AWSStepFunctions", func(context.Context, string, []byte) (any, *Error) {
		called = true
		return nil, nil
	})
	for _, tc := range []struct {
		size int
		want int
	}{{maxBody, http.StatusOK}, {maxBody + 1, http.StatusRequestEntityTooLarge}} {
		called = false
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(strings.Repeat(" ", tc.size)))
		req.Header.Set("X-Amz-Target", "AWSStepFunctions.ListStateMachines")
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		if rec.Code != tc.want || called != (tc.want == http.StatusOK) {
			t.Errorf("body of %d bytes: status %d (handler called %v), want %d", tc.size, rec.Code, called, tc.want)
		}
	}
}
