package emulator

import (
	"context"
	"encoding/json"

	"github.com/stepwire/stepwire/emulator/lambdaemu"
	"github.com/stepwire/stepwire/internal/jsonobj"
)

// jsonHandler adapts a Lambda handler function to lambdaemu.Handler as
// aws-lambda-go's lambda.NewHandler does for the Go runtime: the event
// decoded from JSON into In, the result encoded as JSON. Unlike it, it is
// safe for concurrent invocations, which one in-process function gets
// (Lambda runs one invocation at a time per environment): the bytes
// lambda.NewHandler returns belong to a pooled buffer that the next
// invocation may already be writing.
type jsonHandler[In, Out any] func(context.Context, In) (Out, error)

// Invoke decodes payload, calls the function and encodes its result.
func (f jsonHandler[In, Out]) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	var in In
	if raw, ok := any(&in).(*json.RawMessage); ok && jsonobj.Valid(payload) {
		// What json.Unmarshal stores in a RawMessage: a copy of the value
		// without the space around it, after one faster validity scan.
		*raw = append(json.RawMessage(nil), trimSpace(payload)...)
	} else if err := json.Unmarshal(payload, &in); err != nil {
		return nil, err // as the Go runtime reports it: a *json.SyntaxError, say
	}
	out, err := f(ctx, in)
	if err != nil {
		return nil, err
	}
	return json.Marshal(out)
}

// trimSpace cuts JSON's space (not Unicode's) around b.
func trimSpace(b []byte) []byte {
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// noResult adapts a handler that returns only an error; its invocations
// return null, as Lambda's Go runtime does.
func noResult[In any](f func(context.Context, In) error) jsonHandler[In, *struct{}] {
	return func(ctx context.Context, in In) (*struct{}, error) { return nil, f(ctx, in) }
}

var _ lambdaemu.Handler = jsonHandler[json.RawMessage, any](nil)
