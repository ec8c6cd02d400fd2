package iotemu

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// postRaw sends body to the service's HTTP API and returns the status,
// the x-amzn-ErrorType header and the error message.
func postRaw(t *testing.T, s *Service, path string, body []byte) (int, string, string) {
	t.Helper()
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	resp, err := http.Post(srv.URL+path, "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var msg struct {
		Message string `json:"message"`
	}
	_ = json.Unmarshal(raw, &msg)
	return resp.StatusCode, resp.Header.Get("X-Amzn-Errortype"), msg.Message
}

// An over-limit body is answered with the limit, not with a JSON parse
// error about a cut document; a body exactly at the limit is read whole.
func TestHTTPBodyLimits(t *testing.T) {
	s, _ := startService(t)

	t.Run("control plane over 1 MiB", func(t *testing.T) {
		doc := `{"policyDocument":"` + strings.Repeat("x", maxRequestBody) + `"}`
		status, code, msg := postRaw(t, s, "/policies/big", []byte(doc))
		require.Equal(t, http.StatusBadRequest, status)
		require.True(t, strings.HasPrefix(code, "InvalidRequestException"), code)
		require.Contains(t, msg, "exceeds 1048576 bytes")
	})
	t.Run("control plane at 1 MiB is parsed", func(t *testing.T) {
		pad := maxRequestBody - len(`{"policyDocument":"{}","x":""}`)
		doc := `{"policyDocument":"{}","x":"` + strings.Repeat("x", pad) + `"}`
		require.Len(t, doc, maxRequestBody)
		status, code, msg := postRaw(t, s, "/policies/atlimit", []byte(doc))
		require.True(t, strings.HasPrefix(code, "MalformedPolicyException"), "%d %s %s", status, code, msg)
	})
	t.Run("data plane over 128 KiB", func(t *testing.T) {
		status, code, _ := postRaw(t, s, "/topics/big", bytes.Repeat([]byte("x"), maxPayload+1))
		require.Equal(t, http.StatusRequestEntityTooLarge, status)
		require.True(t, strings.HasPrefix(code, "RequestEntityTooLargeException"), code)
	})
	t.Run("data plane at 128 KiB", func(t *testing.T) {
		status, code, _ := postRaw(t, s, "/topics/ok", bytes.Repeat([]byte("x"), maxPayload))
		require.Equal(t, http.StatusOK, status, code)
	})
}
