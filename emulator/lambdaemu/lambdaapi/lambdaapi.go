// Package lambdaapi serves the Lambda service (lambdaemu) over Lambda's
// REST API on the emulator's endpoint: Invoke, GetFunction and
// ListFunctions, with Lambda's headers, payload limits and error codes
// (docs/lambda.md §6), so that `aws lambda invoke` and the SDKs work.
package lambdaapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/lambdaemu"
	"github.com/stepwire/stepwire/emulator/lambdaemu/procenv"
)

// Prefix is the path prefix of the operations served.
const Prefix = "/2015-03-31/functions"

// Payload limits of Invoke (docs/lambda.md §6.2).
const (
	MaxSyncPayload  = 6291456
	MaxAsyncPayload = 1 << 20
)

// Handler serves the operations of s.
func Handler(s *lambdaemu.Service) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+Prefix+"/{name}/invocations", func(w http.ResponseWriter, r *http.Request) { invoke(s, w, r) })
	mux.HandleFunc("GET "+Prefix+"/{name}", func(w http.ResponseWriter, r *http.Request) { getFunction(s, w, r) })
	mux.HandleFunc("GET "+Prefix+"/{$}", func(w http.ResponseWriter, r *http.Request) { listFunctions(s, w, r) })
	mux.HandleFunc("GET "+Prefix, func(w http.ResponseWriter, r *http.Request) { listFunctions(s, w, r) })
	return mux
}

func invoke(s *lambdaemu.Service, w http.ResponseWriter, r *http.Request) {
	f, aerr := lookup(s, r)
	if aerr != nil {
		awsapi.WriteRESTError(w, aerr)
		return
	}
	typ := r.Header.Get("X-Amz-Invocation-Type")
	limit := MaxSyncPayload
	switch typ {
	case "", "RequestResponse", "DryRun":
	case "Event":
		limit = MaxAsyncPayload
	default:
		awsapi.WriteRESTError(w, awsapi.Errorf("", "InvalidParameterValueException",
			"1 validation error detected: Value '%s' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]", typ))
		return
	}
	payload, aerr := readPayload(r, typ, limit)
	if aerr != nil {
		awsapi.WriteRESTError(w, aerr)
		return
	}
	switch typ {
	case "DryRun":
		w.WriteHeader(http.StatusNoContent)
		return
	case "Event":
		if err := s.InvokeAsync(context.WithoutCancel(r.Context()), f.Name, payload); err != nil {
			awsapi.WriteRESTError(w, invokeError(s, f.Name, err))
			return
		}
		w.WriteHeader(http.StatusAccepted)
		return
	}
	res, err := s.Invoke(r.Context(), f.Name, payload)
	if err != nil {
		writeInvokeError(w, s, f.Name, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Amz-Executed-Version", res.ExecutedVersion)
	if res.FunctionError != "" {
		h.Set("X-Amz-Function-Error", res.FunctionError)
	}
	if r.Header.Get("X-Amz-Log-Type") == "Tail" {
		h.Set("X-Amz-Log-Result", base64.StdEncoding.EncodeToString(res.LogTail))
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(res.Payload)
}

// readPayload reads the body within limit and checks it is JSON.
func readPayload(r *http.Request, typ string, limit int) ([]byte, *awsapi.Error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, int64(limit)+1))
	if err != nil {
		return nil, awsapi.Errorf("", "InvalidRequestContentException", "read request body: %v", err)
	}
	if len(body) > limit {
		msg := fmt.Sprintf("Request must be smaller than %d bytes for the InvokeFunction operation", limit)
		if typ == "Event" {
			n := len(body)
			if r.ContentLength > 0 {
				n = int(r.ContentLength)
			}
			msg = fmt.Sprintf("%d byte payload is too large for the Event invocation type (limit %d bytes)", n, limit)
		}
		return nil, &awsapi.Error{Status: http.StatusRequestEntityTooLarge, Code: "RequestEntityTooLargeException", Message: msg}
	}
	if len(body) == 0 {
		return []byte("{}"), nil
	}
	if !json.Valid(body) {
		return nil, awsapi.Errorf("", "InvalidRequestContentException",
			"Could not parse request body into json: Could not parse payload into json: Unexpected character")
	}
	return body, nil
}

// writeInvokeError writes a failed Invoke: a throttle as Lambda's 429
// with its Reason, anything else through invokeError.
func writeInvokeError(w http.ResponseWriter, s *lambdaemu.Service, name string, err error) {
	if errors.Is(err, procenv.ErrTooManyRequests) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-ErrorType", "TooManyRequestsException")
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
		_ = json.NewEncoder(w).Encode(map[string]string{"Reason": "ReservedFunctionConcurrentInvocationLimitExceeded",
			"Type": "User", "message": "Rate Exceeded."})
		return
	}
	awsapi.WriteRESTError(w, invokeError(s, name, err))
}

func invokeError(s *lambdaemu.Service, name string, err error) *awsapi.Error {
	if errors.Is(err, lambdaemu.ErrFunctionNotFound) {
		return notFound(s, name, "$LATEST")
	}
	if errors.Is(err, context.Canceled) {
		return &awsapi.Error{Status: 499, Code: "RequestCanceled", Message: err.Error()}
	}
	return &awsapi.Error{Status: http.StatusInternalServerError, Code: "ServiceException", Message: err.Error()}
}

// lookup finds the function of the path's {name} and Qualifier; only
// $LATEST exists locally.
func lookup(s *lambdaemu.Service, r *http.Request) (*lambdaemu.Function, *awsapi.Error) {
	ref := r.PathValue("name")
	f, ok := s.Lookup(ref)
	q := r.URL.Query().Get("Qualifier")
	if !ok {
		return nil, notFound(s, lambdaemu.FunctionName(ref), orLatest(q))
	}
	if q != "" && q != "$LATEST" {
		return nil, notFound(s, f.Name, q)
	}
	return f, nil
}

func orLatest(q string) string {
	if q == "" {
		return "$LATEST"
	}
	return q
}

func notFound(s *lambdaemu.Service, name, qualifier string) *awsapi.Error {
	return &awsapi.Error{Status: http.StatusNotFound, Code: "ResourceNotFoundException",
		Message: "Function not found: " + s.ARN(name) + ":" + qualifier}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// maxItems is ListFunctions' page size bound.
const maxItems = 50

func listFunctions(s *lambdaemu.Service, w http.ResponseWriter, r *http.Request) {
	all := s.Functions()
	start, _ := strconv.Atoi(r.URL.Query().Get("Marker"))
	n := maxItems
	if m, err := strconv.Atoi(r.URL.Query().Get("MaxItems")); err == nil && m > 0 && m < n {
		n = m
	}
	start = min(max(start, 0), len(all))
	end := min(start+n, len(all))
	out := struct {
		Functions  []configuration
		NextMarker *string `json:",omitempty"`
	}{Functions: []configuration{}}
	for _, f := range all[start:end] {
		c := configurationOf(s, f)
		c.State, c.LastUpdateStatus = "", "" // ListFunctions omits them
		out.Functions = append(out.Functions, c)
	}
	if end < len(all) {
		m := strconv.Itoa(end)
		out.NextMarker = &m
	}
	writeJSON(w, out)
}

func getFunction(s *lambdaemu.Service, w http.ResponseWriter, r *http.Request) {
	f, aerr := lookup(s, r)
	if aerr != nil {
		awsapi.WriteRESTError(w, aerr)
		return
	}
	out := map[string]any{
		"Configuration": configurationOf(s, f),
		"Code":          map[string]string{"RepositoryType": "S3", "Location": ""},
	}
	if rc := f.Config.ReservedConcurrency; rc != nil {
		out["Concurrency"] = map[string]int{"ReservedConcurrentExecutions": *rc}
	}
	writeJSON(w, out)
}
