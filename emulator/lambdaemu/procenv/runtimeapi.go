package procenv

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/stepwire/stepwire/internal/uuid"
)

// runtimeAPI serves the Lambda Runtime API 2018-06-01 to the environment's
// process (docs/lambda.md §1).
func (e *env) runtimeAPI() http.Handler {
	mux := http.NewServeMux()
	const base = "/2018-06-01/runtime"
	mux.HandleFunc("GET "+base+"/invocation/next", e.next)
	mux.HandleFunc("POST "+base+"/invocation/{id}/response", e.response)
	mux.HandleFunc("POST "+base+"/invocation/{id}/error", e.invocationError)
	mux.HandleFunc("POST "+base+"/init/error", e.initError)
	return mux
}

// next long-polls for the environment's next invocation and hands it out
// with Lambda's headers (docs/lambda.md §1.1).
func (e *env) next(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	if e.cur != nil {
		e.mu.Unlock()
		runtimeError(w, http.StatusForbidden, "InvalidStateTransition",
			"State transition from Running to Ready failed for runtime: the current invocation has no response")
		return
	}
	if !e.ready {
		e.ready = true
		e.initDur = time.Since(e.started)
	}
	e.mu.Unlock()
	var inv *invocation
	select {
	case inv = <-e.work:
	case <-r.Context().Done():
		return
	}
	inv.deadline = time.Now().Add(e.spec.Timeout)
	e.mu.Lock()
	e.cur = inv
	e.mu.Unlock()
	close(inv.delivered)
	h := w.Header()
	h.Set("Lambda-Runtime-Aws-Request-Id", inv.id)
	h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(inv.deadline.UnixMilli(), 10))
	h.Set("Lambda-Runtime-Invoked-Function-Arn", e.spec.ARN)
	h.Set("Lambda-Runtime-Trace-Id", traceID())
	h.Set("Content-Type", "application/json")
	_, _ = w.Write(inv.payload)
}

// traceID is an X-Ray trace header for one invocation, not sampled.
func traceID() string {
	id := uuid.New()
	hex := id[:8] + id[9:13] + id[14:18] + id[19:23] + id[24:]
	return fmt.Sprintf("Root=1-%08x-%s;Parent=%s;Sampled=0", time.Now().Unix(), hex[:24], hex[16:32])
}

// response takes the invocation's result.
func (e *env) response(w http.ResponseWriter, r *http.Request) {
	e.answer(w, r, false)
}

// invocationError takes the invocation's error object.
func (e *env) invocationError(w http.ResponseWriter, r *http.Request) {
	e.answer(w, r, true)
}

func (e *env) answer(w http.ResponseWriter, r *http.Request, isErr bool) {
	e.mu.Lock()
	inv := e.cur
	e.mu.Unlock()
	if inv == nil || inv.id != r.PathValue("id") {
		runtimeError(w, http.StatusBadRequest, "InvalidRequestID", "Invalid request ID")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxResponse+1))
	if err != nil {
		runtimeError(w, http.StatusBadRequest, "InvalidRequest", "read body: "+err.Error())
		return
	}
	o := outcome{body: body, fnErr: isErr}
	tooLarge := len(body) > MaxResponse
	switch {
	case tooLarge:
		o = outcome{body: responseTooLarge(), fnErr: true}
	case isErr:
		o.body = errorObject(body, r.Header.Get("Lambda-Runtime-Function-Error-Type"))
	}
	e.mu.Lock()
	e.cur = nil
	e.mu.Unlock()
	inv.done <- o
	if tooLarge {
		runtimeError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
			fmt.Sprintf("Exceeded maximum allowed payload size (%d bytes).", MaxResponse))
		return
	}
	accepted(w)
}

// errorObject keeps a runtime's error body when it is a JSON object, and
// otherwise builds one from the error-type header (Runtime.Unknown when
// absent), as Lambda does.
func errorObject(body []byte, typ string) []byte {
	var obj map[string]any
	if json.Unmarshal(body, &obj) == nil {
		return body
	}
	if typ == "" {
		typ = "Runtime.Unknown"
	}
	return errorBody(typ, string(body))
}

// initError records the runtime's init failure; the runtime exits next,
// and the invocation waiting for it gets this body (docs/lambda.md §1.3).
func (e *env) initError(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, MaxResponse))
	e.mu.Lock()
	e.initErr = errorObject(body, r.Header.Get("Lambda-Runtime-Function-Error-Type"))
	e.mu.Unlock()
	accepted(w)
}

func accepted(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	_, _ = w.Write([]byte(`{"status":"OK"}`))
}

// runtimeError is the Runtime API's error reply to a runtime.
func runtimeError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(errorBody(typ, msg))
}
