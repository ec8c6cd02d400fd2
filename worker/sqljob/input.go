package sqljob

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/stepwire/stepwire/worker"
)

// input is a decoded sql job input.
type input struct {
	query string
	args  []any
}

const inputShape = `input must be a JSON object like {"query": "SELECT name FROM t WHERE id = ?", "args": [1]}`

// parseInput reads {"query": string, "args": [string|number|bool|null...]}.
// Unknown fields are refused, so that a misspelt "args" is not silently
// ignored.
func parseInput(raw json.RawMessage) (input, error) {
	var in struct {
		Query *string           `json:"query"`
		Args  []json.RawMessage `json:"args"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return input{}, invalidInput(fmt.Sprintf("%s: %v", inputShape, err))
	}
	if in.Query == nil || strings.TrimSpace(*in.Query) == "" {
		return input{}, invalidInput(`field "query" is missing or empty; ` + inputShape)
	}
	args := make([]any, len(in.Args))
	for i, a := range in.Args {
		v, err := arg(a)
		if err != nil {
			return input{}, invalidInput(fmt.Sprintf("args[%d]: %v", i, err))
		}
		args[i] = v
	}
	return input{query: *in.Query, args: args}, nil
}

// arg turns one JSON arg into a value to bind: string, int64 (an integer
// that fits), float64, bool or nil.
func arg(raw json.RawMessage) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	switch v := v.(type) {
	case nil, string, bool:
		return v, nil
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return i, nil
		}
		f, err := v.Float64()
		if err != nil {
			return nil, fmt.Errorf("number %s is out of range", v)
		}
		return f, nil
	default:
		return nil, fmt.Errorf("must be a string, number, boolean or null, got %s", raw)
	}
}

func invalidInput(cause string) error {
	return &worker.JobError{Name: worker.FailureInvalidInput, Cause: "sql: " + cause}
}
