package awsapi

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestExposure(t *testing.T) {
	x := Exposure{Hosts: []string{"stepwire", "emu.example:4566"}, Origins: []string{"http://localhost:3000"},
		Logger: slog.New(slog.DiscardHandler)}
	served := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot) })
	h := x.Wrap(served)
	for _, tc := range []struct {
		name, host, origin, target string
		want                       int
		wantIn                     string // in the error message
	}{
		{name: "loopback IPv4", host: "127.0.0.1:4566", want: http.StatusTeapot},
		{name: "loopback IPv6", host: "[::1]:4566", want: http.StatusTeapot},
		{name: "localhost", host: "localhost:4566", want: http.StatusTeapot},
		{name: "localhost, no port, upper case", host: "LOCALHOST", want: http.StatusTeapot},
		{name: "configured name", host: "stepwire:4566", want: http.StatusTeapot},
		{name: "configured name given with a port", host: "emu.example", want: http.StatusTeapot},
		{name: "container IP", host: "172.18.0.2:4566", want: http.StatusTeapot},
		{name: "no Host (HTTP/1.0)", host: "", want: http.StatusTeapot},
		{name: "allowed origin", host: "localhost:4566", origin: "http://localhost:3000", want: http.StatusTeapot},
		{name: "foreign host", host: "evil.example:4566", want: http.StatusForbidden, wantIn: "--http-host"},
		{name: "localhost lookalike", host: "localhost.evil.example", want: http.StatusForbidden, wantIn: "--http-host"},
		{name: "foreign host, awsJson", host: "evil.example", target: "AWSStepFunctions.ListStateMachines",
			want: http.StatusForbidden, wantIn: "--http-host"},
		{name: "sync- prefix for TestState", host: "sync-localhost:4566", target: "AWSStepFunctions.TestState", want: http.StatusTeapot},
		{name: "sync- prefix for StartSyncExecution", host: "sync-stepwire", target: "AWSStepFunctions.StartSyncExecution",
			want: http.StatusTeapot},
		{name: "sync- prefix before an IP", host: "sync-127.0.0.1:4566", target: "AWSStepFunctions.TestState", want: http.StatusTeapot},
		{name: "sync- prefix for another operation", host: "sync-localhost", target: "AWSStepFunctions.ListStateMachines",
			want: http.StatusForbidden, wantIn: "--http-host"},
		{name: "sync- prefix before a foreign host", host: "sync-evil.example", target: "AWSStepFunctions.TestState",
			want: http.StatusForbidden, wantIn: "--http-host"},
		{name: "foreign origin", host: "127.0.0.1:4566", origin: "http://evil.example", want: http.StatusForbidden, wantIn: "--allow-origin"},
		{name: "null origin", host: "127.0.0.1:4566", origin: "null", want: http.StatusForbidden, wantIn: "--allow-origin"},
		{name: "foreign host and origin", host: "evil.example", origin: "http://evil.example", want: http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/topics/tenant1/to/worker", strings.NewReader("{}"))
			req.Host = tc.host
			if tc.origin != "" {
				req.Header.Set("Origin", tc.origin)
			}
			if tc.target != "" {
				req.Header.Set("X-Amz-Target", tc.target)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.want, rec.Body)
			}
			if tc.want != http.StatusForbidden {
				return
			}
			if got := rec.Header().Get("X-Amzn-ErrorType"); got != "AccessDeniedException" {
				t.Errorf("X-Amzn-ErrorType %q", got)
			}
			if rec.Header().Get("X-Amzn-RequestId") == "" {
				t.Error("no X-Amzn-RequestId")
			}
			var body struct {
				Type    string `json:"__type"`
				Message string `json:"message"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			if body.Type != "AccessDeniedException" || !strings.Contains(body.Message, tc.wantIn) {
				t.Errorf("body %+v, want AccessDeniedException mentioning %q", body, tc.wantIn)
			}
			wantCT := "application/json"
			if tc.target != "" {
				wantCT = "application/x-amz-json-1.0"
			}
			if got := rec.Header().Get("Content-Type"); got != wantCT {
				t.Errorf("Content-Type %q, want %q", got, wantCT)
			}
		})
	}
}

func TestExposureCORS(t *testing.T) {
	h := Exposure{Hosts: []string{"example.com"}, Origins: []string{"*"}}.Wrap(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	}))
	pre := httptest.NewRequest(http.MethodOptions, "/", nil)
	pre.Header.Set("Origin", "http://app.example")
	pre.Header.Set("Access-Control-Request-Method", "POST")
	pre.Header.Set("Access-Control-Request-Headers", "x-amz-target, content-type")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, pre)
	if rec.Code != http.StatusNoContent || rec.Header().Get("Access-Control-Allow-Origin") != "http://app.example" ||
		rec.Header().Get("Access-Control-Allow-Headers") != "x-amz-target, content-type" {
		t.Fatalf("preflight: %d %v", rec.Code, rec.Header())
	}
	req := httptest.NewRequest(http.MethodPost, "/", nil)
	req.Header.Set("Origin", "http://app.example")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusTeapot || rec.Header().Get("Access-Control-Allow-Origin") != "http://app.example" {
		t.Fatalf("request: %d %v", rec.Code, rec.Header())
	}
}
