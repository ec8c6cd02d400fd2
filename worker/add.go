package worker

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/stepwire/stepwire/internal/jobwire"
)

// Add is the sample's job: input {"a": number, "b": number}, result a+b.
// Integers stay exact; other numbers are added as float64.
func Add(_ context.Context, job jobwire.Job) (json.RawMessage, error) {
	var in map[string]json.RawMessage
	if err := json.Unmarshal(job.Input, &in); err != nil || in == nil {
		return nil, invalidInput("input must be a JSON object like {\"a\": 15, \"b\": 42}")
	}
	a, err := number(in, "a")
	if err != nil {
		return nil, err
	}
	b, err := number(in, "b")
	if err != nil {
		return nil, err
	}
	return sum(a, b)
}

// number reads field name of in as a JSON number.
func number(in map[string]json.RawMessage, name string) (json.Number, error) {
	raw, ok := in[name]
	if !ok {
		return "", invalidInput(fmt.Sprintf("field %q is missing", name))
	}
	if isNumber(raw) {
		return json.Number(raw), nil // as a decoder with UseNumber reads it, without one
	}
	return decodeNumber(raw, name)
}

// decodeNumber reads raw as a JSON number with the decoder.
func decodeNumber(raw json.RawMessage, name string) (json.Number, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", invalidInput(fmt.Sprintf("field %q: %v", name, err))
	}
	n, ok := v.(json.Number)
	if !ok {
		return "", invalidInput(fmt.Sprintf("field %q must be a number, got %s", name, raw))
	}
	return n, nil
}

// isNumber reports whether raw is one JSON number and nothing else, as
// the members json.Unmarshal gives a map of raw messages are (no space
// around them). Anything else goes through the decoder, which says what
// is wrong with it.
func isNumber(raw []byte) bool {
	if len(raw) == 0 || raw[0] != '-' && (raw[0] < '0' || raw[0] > '9') {
		return false
	}
	if last := raw[len(raw)-1]; last < '0' || last > '9' {
		return false
	}
	return json.Valid(raw)
}

func sum(a, b json.Number) (json.RawMessage, error) {
	ai, aerr := a.Int64()
	bi, berr := b.Int64()
	if aerr == nil && berr == nil {
		s := ai + bi
		if (s > ai) == (bi > 0) {
			return json.RawMessage(strconv.FormatInt(s, 10)), nil
		}
	}
	af, _ := a.Float64()
	bf, _ := b.Float64()
	s := af + bf
	if math.IsInf(s, 0) {
		return nil, invalidInput(fmt.Sprintf("%s + %s overflows", a, b))
	}
	return json.Marshal(s)
}

func invalidInput(cause string) error {
	return &JobError{Name: FailureInvalidInput, Cause: cause}
}
