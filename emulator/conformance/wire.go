package conformance

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// APIError is an error response of the Step Functions API.
type APIError struct {
	Code, Message string
}

func (e *APIError) Error() string { return e.Code + ": " + e.Message }

// client speaks awsJson1_0 to the service's HTTP handler in process: the
// requests and responses are the bytes the SDKs and the aws CLI exchange.
type client struct{ h http.Handler }

// call sends operation op with a JSON body and decodes the response.
func (c client) call(op string, body any) (*jsonv.Object, *APIError) {
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(jsonv.Encode(body)))
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "AWSStepFunctions."+op)
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	v, err := jsonv.Decode(rec.Body.Bytes())
	obj, _ := v.(*jsonv.Object)
	if err != nil || obj == nil {
		obj = jsonv.NewObject(0)
	}
	if rec.Code/100 != 2 {
		typ, _ := str(obj, "__type")
		msg, ok := str(obj, "message")
		if !ok {
			msg, _ = str(obj, "Message")
		}
		if i := strings.LastIndexByte(typ, '#'); i >= 0 {
			typ = typ[i+1:]
		}
		if typ == "" {
			typ = fmt.Sprintf("HTTP %d", rec.Code)
		}
		return nil, &APIError{Code: typ, Message: msg}
	}
	return obj, nil
}

// mustCall is call for set-up steps: an error response becomes a Go error.
func (c client) mustCall(op string, body any) (*jsonv.Object, error) {
	out, apiErr := c.call(op, body)
	if apiErr != nil {
		return nil, fmt.Errorf("%s: %w", op, apiErr)
	}
	return out, nil
}

// obj builds a JSON object from key/value pairs.
func obj(kv ...any) *jsonv.Object {
	o := jsonv.NewObject(len(kv) / 2)
	for i := 0; i+1 < len(kv); i += 2 {
		o.Set(kv[i].(string), kv[i+1])
	}
	return o
}
