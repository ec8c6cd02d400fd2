package casematch

import (
	"fmt"
	"strings"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// Outcome is what stepwire reported for an execution.
type Outcome struct {
	Status string
	// Output, Error and Cause are nil when absent.
	Output, Error, Cause *string
	// History holds the events in their wire shape (jsonv objects, details
	// data as JSON text); nil when not fetched.
	History []any
}

// Compare checks an outcome against a case's "expect" object: status,
// output, error and cause (present exactly when expected) and, when the
// case recorded one, the history.
func Compare(exp *jsonv.Object, got Outcome) error {
	st, _ := str(exp, "status")
	if st != got.Status {
		return fmt.Errorf("status %s, want %s%s", got.Status, st, lastEvents(got.History))
	}
	if want, ok := exp.Get("output"); ok {
		if got.Output == nil {
			return fmt.Errorf("no output, want %s", jsonv.Encode(want))
		}
		v, err := jsonv.DecodeString(*got.Output)
		if err != nil || !Value(want, v) {
			return fmt.Errorf("output %s, want %s", *got.Output, jsonv.Encode(want))
		}
	}
	for _, f := range []struct {
		key string
		got *string
	}{{"error", got.Error}, {"cause", got.Cause}} {
		want, ok := exp.Get(f.key)
		switch {
		case ok != (f.got != nil):
			return fmt.Errorf("%s %s, want %s", f.key, quoteOrAbsent(f.got), encodeOrAbsent(want, ok))
		case ok && !Text(want, *f.got):
			return fmt.Errorf("%s %q, want %s", f.key, *f.got, jsonv.Encode(want))
		}
	}
	if h, ok := exp.Get("history"); ok {
		list, _ := h.([]any)
		return History(list, got.History)
	}
	return nil
}

func quoteOrAbsent(s *string) string {
	if s == nil {
		return "absent"
	}
	return fmt.Sprintf("%q", *s)
}

func encodeOrAbsent(v any, ok bool) string {
	if !ok {
		return "absent"
	}
	return jsonv.EncodeString(v)
}

// lastEvents names the last history events, for a status mismatch.
func lastEvents(h []any) string {
	if len(h) == 0 {
		return ""
	}
	var parts []string
	for _, e := range h[max(0, len(h)-3):] {
		parts = append(parts, short(jsonv.EncodeString(e), 300))
	}
	return " (last events: " + strings.Join(parts, " ") + ")"
}

// short cuts a text for a one-line report.
func short(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// dataFields are details fields carried as JSON text on the wire.
var dataFields = map[string]bool{"input": true, "output": true, "parameters": true}

// History compares recorded events with stepwire's, both in wire shape:
// the same number of events, and in each the recorded fields.
func History(want, got []any) error {
	if len(want) != len(got) {
		return fmt.Errorf("history has %d events, want %d:\n    got  %s\n    want %s", len(got), len(want), types(got), types(want))
	}
	for i, w := range want {
		wo, _ := w.(*jsonv.Object)
		gobj, _ := got[i].(*jsonv.Object)
		if wo == nil || gobj == nil {
			return fmt.Errorf("event %d is not an object", i+1)
		}
		typ, _ := str(gobj, "type")
		for _, m := range wo.Members {
			actual, ok := gobj.Get(m.Key)
			if !ok {
				return fmt.Errorf("event %d (%s): missing %s", i+1, typ, m.Key)
			}
			if !strings.HasSuffix(m.Key, "EventDetails") {
				if !Value(m.Value, actual) {
					return fmt.Errorf("event %d: %s = %s, want %s", i+1, m.Key, jsonv.Encode(actual), jsonv.Encode(m.Value))
				}
				continue
			}
			if err := details(m.Value, actual); err != nil {
				return fmt.Errorf("event %d (%s): %w", i+1, typ, err)
			}
		}
	}
	return nil
}

// details compares an event's details object field by field; fields that
// are JSON text on the wire are parsed first.
func details(wantV, got any) error {
	want, _ := wantV.(*jsonv.Object)
	gobj, ok := got.(*jsonv.Object)
	if want == nil || !ok || gobj.Len() != want.Len() {
		return fmt.Errorf("details %s, want %s", jsonv.Encode(got), jsonv.Encode(wantV))
	}
	for _, m := range want.Members {
		actual, ok := gobj.Get(m.Key)
		if !ok {
			return fmt.Errorf("details lack %s: %s", m.Key, jsonv.Encode(got))
		}
		_, wantObj := m.Value.(*jsonv.Object)
		_, wantArr := m.Value.([]any)
		structured := dataFields[m.Key] || wantObj || wantArr
		if s, isStr := actual.(string); isStr && structured {
			if parsed, err := jsonv.DecodeString(s); err == nil {
				actual = parsed
			}
		}
		if m.Key == "assignedVariables" {
			actual = parseValues(actual)
		}
		if structured && !Value(m.Value, actual) {
			return fmt.Errorf("%s = %s, want %s", m.Key, jsonv.Encode(actual), jsonv.Encode(m.Value))
		}
		if !structured && !Value(m.Value, actual) && !Text(m.Value, fmt.Sprint(actual)) {
			return fmt.Errorf("%s = %s, want %s", m.Key, jsonv.Encode(actual), jsonv.Encode(m.Value))
		}
	}
	return nil
}

// parseValues parses the JSON text values of an object
// (assignedVariables).
func parseValues(v any) any {
	o, ok := v.(*jsonv.Object)
	if !ok {
		return v
	}
	out := jsonv.NewObject(o.Len())
	for _, m := range o.Members {
		val := m.Value
		if s, ok := val.(string); ok {
			if p, err := jsonv.DecodeString(s); err == nil {
				val = p
			}
		}
		out.Set(m.Key, val)
	}
	return out
}

func types(evs []any) string {
	var s []string
	for _, e := range evs {
		o, _ := e.(*jsonv.Object)
		t, _ := str(o, "type")
		s = append(s, t)
	}
	return strings.Join(s, ",")
}

// str reads a string member of o (nil-safe).
func str(o *jsonv.Object, key string) (string, bool) {
	if o == nil {
		return "", false
	}
	v, _ := o.Get(key)
	s, ok := v.(string)
	return s, ok
}
