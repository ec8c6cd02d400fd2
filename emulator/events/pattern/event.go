package pattern

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// value is one leaf of an event.
type value struct {
	kind jkind   // jString, jNumber, jBool or jNull
	text string  // the string, or the number's literal
	num  float64 // jNumber, when the literal fits a float64
	ok   bool    // num is valid
	b    bool    // jBool
}

// Event is an event flattened for matching: every leaf value under its
// dot-joined path. Arrays add each element's leaves to the same path, so a
// field matches when any element does (docs/eventbridge.md §2.1).
type Event struct {
	fields map[string][]value
}

// ParseEvent flattens a JSON object for matching.
func ParseEvent(doc []byte) (*Event, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("parse event: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("parse event: data after the top-level value")
	}
	return FromValue(v)
}

// FromValue flattens an event already decoded by encoding/json (with
// UseNumber, or with float64 numbers).
func FromValue(v any) (*Event, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("parse event: not a JSON object")
	}
	e := &Event{fields: map[string][]value{}}
	e.addObject("", obj)
	return e, nil
}

// NewEvent returns an event with no fields and room for about n paths,
// for a caller that flattens an event from its parts with AddString and
// AddValue rather than decoding its JSON text.
func NewEvent(n int) *Event { return &Event{fields: make(map[string][]value, n)} }

// AddString adds the string s under path, as a member holding it would.
func (e *Event) AddString(path, s string) {
	e.fields[path] = append(e.fields[path], value{kind: jString, text: s})
}

// AddValue flattens v under path, as a member holding it would: v is a
// value decoded by encoding/json (as FromValue takes) or by jsonv.
func (e *Event) AddValue(path string, v any) { e.add(path, v) }

func (e *Event) addObject(prefix string, obj map[string]any) {
	for k, v := range obj {
		e.add(join(prefix, k), v)
	}
}

func (e *Event) add(path string, v any) {
	switch t := v.(type) {
	case map[string]any:
		e.addObject(path, t)
	case *jsonv.Object:
		for _, m := range t.Members {
			e.add(join(path, m.Key), m.Value)
		}
	case []any:
		for _, el := range t {
			e.add(path, el)
		}
	case string:
		e.fields[path] = append(e.fields[path], value{kind: jString, text: t})
	case json.Number:
		e.fields[path] = append(e.fields[path], number(t.String()))
	case jsonv.Number:
		e.fields[path] = append(e.fields[path], number(string(t)))
	case float64:
		e.fields[path] = append(e.fields[path], value{kind: jNumber, text: strconv.FormatFloat(t, 'g', -1, 64), num: t, ok: true})
	case bool:
		e.fields[path] = append(e.fields[path], value{kind: jBool, b: t})
	case nil:
		e.fields[path] = append(e.fields[path], value{kind: jNull})
	}
}

// number makes a number leaf from its JSON literal.
func number(lit string) value {
	f, err := strconv.ParseFloat(lit, 64)
	return value{kind: jNumber, text: lit, num: f, ok: err == nil}
}

// join is the dot-joined path of key under prefix.
func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}
