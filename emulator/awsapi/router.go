package awsapi

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/stepwire/stepwire/internal/uuid"
)

// JSONHandler serves one awsJson1_0 operation: it gets the operation name
// (the part of X-Amz-Target after the prefix) and the raw body, and returns
// the response value or an *Error.
type JSONHandler func(ctx context.Context, op string, body []byte) (any, *Error)

// Router sends each request to the service that owns it: awsJson requests by
// their X-Amz-Target prefix, REST requests by path prefix.
type Router struct {
	// Logger receives the stack of each panic a handler raises;
	// slog.Default() when nil. Set it before serving.
	Logger *slog.Logger
	// Authenticate, when set, sees every request before its service and
	// may refuse it with an *Error (in the request's protocol) or set
	// response headers; see SigV4Verifier. Set it before serving.
	Authenticate func(http.ResponseWriter, *http.Request) *Error

	targets map[string]JSONHandler
	rest    []restRoute
	query   http.Handler // awsQuery requests; see HandleQuery
}

type restRoute struct {
	prefix string
	h      http.Handler
}

// NewRouter returns an empty Router.
func NewRouter() *Router { return &Router{targets: map[string]JSONHandler{}} }

// HandleTarget routes requests whose X-Amz-Target is "<prefix>.<Operation>".
func (r *Router) HandleTarget(prefix string, h JSONHandler) { r.targets[prefix] = h }

// HandlePrefix routes REST requests whose path starts with prefix. The
// longest matching prefix wins.
func (r *Router) HandlePrefix(prefix string, h http.Handler) {
	r.rest = append(r.rest, restRoute{prefix, h})
}

// maxBody is the largest request body accepted (Step Functions' 1 MiB
// request quota plus room for the JSON envelope).
const maxBody = 2 << 20

// ServeHTTP implements http.Handler. A handler that panics gets a 500
// InternalFailure in AWS's error shape; the emulator keeps serving.
func (r *Router) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	// As Header().Set stores it, without canonicalizing the name anew.
	w.Header()["X-Amzn-Requestid"] = []string{uuid.New()}
	if err := serveRecovered(w, req, http.HandlerFunc(r.route), r.Logger); err != nil {
		panic(http.ErrAbortHandler) // the response was begun: abort the connection
	}
}

// route sends the request to its service.
func (r *Router) route(w http.ResponseWriter, req *http.Request) {
	if r.Authenticate != nil {
		if aerr := r.Authenticate(w, req); aerr != nil {
			writeAuthError(w, req, aerr)
			return
		}
	}
	if target := req.Header.Get("X-Amz-Target"); target != "" {
		r.serveTarget(w, req, target)
		return
	}
	if r.query != nil && IsQueryRequest(req) {
		r.query.ServeHTTP(w, req)
		return
	}
	best := -1
	for i, rt := range r.rest {
		if strings.HasPrefix(req.URL.Path, rt.prefix) && (best < 0 || len(rt.prefix) > len(r.rest[best].prefix)) {
			best = i
		}
	}
	if best < 0 {
		WriteRESTError(w, &Error{Status: http.StatusNotFound, Code: "UnknownOperationException",
			Message: fmt.Sprintf("no operation serves %s %s", req.Method, req.URL.Path)})
		return
	}
	r.rest[best].h.ServeHTTP(w, req)
}

func (r *Router) serveTarget(w http.ResponseWriter, req *http.Request, target string) {
	prefix, op, ok := strings.Cut(target, ".")
	h := r.targets[prefix]
	if !ok || h == nil {
		WriteJSON10Error(w, &Error{Code: "UnknownOperationException", Message: "Unknown operation " + target})
		return
	}
	body, err := ReadBody(req, maxBody)
	if err != nil {
		WriteJSON10Error(w, &Error{Code: "SerializationException", Message: "read request body: " + err.Error()})
		return
	}
	if len(body) > maxBody {
		WriteJSON10Error(w, &Error{Status: http.StatusRequestEntityTooLarge, Code: "RequestEntityTooLargeException",
			Message: fmt.Sprintf("Request body exceeds the maximum of %d bytes", maxBody)})
		return
	}
	if len(body) == 0 {
		body = []byte("{}")
	}
	out, aerr := h(req.Context(), op, body)
	if aerr != nil {
		WriteJSON10Error(w, aerr)
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	if out == nil {
		out = struct{}{}
	}
	_ = json.NewEncoder(w).Encode(out)
}
