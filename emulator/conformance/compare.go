package conformance

import (
	"fmt"
	"strings"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// outcome is what stepwire reported for an execution.
type outcome struct {
	status        string
	output        *string
	errStr, cause *string
	history       []any // wire events; nil when not fetched
}

// compareOutcome applies the README's rules for an execution result.
func compareOutcome(exp *jsonv.Object, got outcome) error {
	st, _ := str(exp, "status")
	if st != got.status {
		return fmt.Errorf("status %s, want %s%s", got.status, st, lastEvents(got.history))
	}
	if want, ok := exp.Get("output"); ok {
		if got.output == nil {
			return fmt.Errorf("no output, want %s", jsonv.Encode(want))
		}
		v, err := jsonv.DecodeString(*got.output)
		if err != nil || !match(want, v) {
			return fmt.Errorf("output %s, want %s", *got.output, jsonv.Encode(want))
		}
	}
	for _, f := range []struct {
		key string
		got *string
	}{{"error", got.errStr}, {"cause", got.cause}} {
		want, ok := exp.Get(f.key)
		switch {
		case ok != (f.got != nil):
			return fmt.Errorf("%s %s, want %s", f.key, quoteOrAbsent(f.got), encodeOrAbsent(want, ok))
		case ok && !matchText(want, *f.got):
			return fmt.Errorf("%s %q, want %s", f.key, *f.got, jsonv.Encode(want))
		}
	}
	if h, ok := exp.Get("history"); ok {
		list, _ := h.([]any)
		return compareHistory(list, got.history)
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

// dataFields are details fields carried as JSON text on the wire.
var dataFields = map[string]bool{"input": true, "output": true, "parameters": true}

func compareHistory(want, got []any) error {
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
				if !match(m.Value, actual) {
					return fmt.Errorf("event %d: %s = %s, want %s", i+1, m.Key, jsonv.Encode(actual), jsonv.Encode(m.Value))
				}
				continue
			}
			if err := compareDetails(m.Value, actual); err != nil {
				return fmt.Errorf("event %d (%s): %w", i+1, typ, err)
			}
		}
	}
	return nil
}

// compareDetails compares an event's details object field by field;
// fields that are JSON text on the wire are parsed first.
func compareDetails(wantV, got any) error {
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
		if structured && !match(m.Value, actual) {
			return fmt.Errorf("%s = %s, want %s", m.Key, jsonv.Encode(actual), jsonv.Encode(m.Value))
		}
		if !structured && !match(m.Value, actual) && !matchText(m.Value, fmt.Sprint(actual)) {
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
		t, _ := str(asObject(e), "type")
		s = append(s, t)
	}
	return strings.Join(s, ",")
}

func asObject(v any) *jsonv.Object {
	o, _ := v.(*jsonv.Object)
	return o
}
