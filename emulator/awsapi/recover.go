package awsapi

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/stepwire/stepwire/internal/hop"
)

// internalFailureMessage is AWS's message for InternalFailure.
const internalFailureMessage = "The request processing has failed because of an unknown error, exception or failure."

// errPanicAfterWrite reports a handler that panicked after it had begun
// its response, so no error response could replace it.
var errPanicAfterWrite = errors.New("handler panicked after writing its response")

// serveRecovered runs h, turning a panic into a 500 InternalFailure in
// AWS's error shape (awsJson when the request has an X-Amz-Target, REST
// otherwise) and logging the panic with its stack. A panic after the
// response was begun, or net/http's ErrAbortHandler, cannot be answered:
// serveRecovered returns an error for the caller to abort the response.
func serveRecovered(w http.ResponseWriter, req *http.Request, h http.Handler, log *slog.Logger) (err error) {
	tw := &trackingWriter{ResponseWriter: w}
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if v == http.ErrAbortHandler {
			err = http.ErrAbortHandler
			return
		}
		log = hop.OrDefault(log)
		log.Error("request handler panicked", "method", req.Method, "path", req.URL.Path,
			"target", req.Header.Get("X-Amz-Target"), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		if tw.wrote {
			err = fmt.Errorf("%s %s: %w: %v", req.Method, req.URL.Path, errPanicAfterWrite, v)
			return
		}
		e := &Error{Status: http.StatusInternalServerError, Code: "InternalFailure", Message: internalFailureMessage}
		if req.Header.Get("X-Amz-Target") != "" {
			WriteJSON10Error(w, e)
		} else {
			WriteRESTError(w, e)
		}
	}()
	h.ServeHTTP(tw, req)
	return nil
}

// trackingWriter records whether the response was begun.
type trackingWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *trackingWriter) WriteHeader(code int) {
	w.wrote = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *trackingWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *trackingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
