package interp

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// compareResult applies the README's comparison rules.
func compareResult(exp *jsonv.Object, d *driver) error {
	st, _ := exp.Get("status")
	if st != d.last.Status {
		return fmt.Errorf("status %s, want %v (last events: %s)", d.last.Status, st, tail(d.events))
	}
	if want, ok := exp.Get("output"); ok {
		got, err := jsonv.Decode(d.last.Output)
		if err != nil || !match(want, got) {
			return fmt.Errorf("output %s, want %s", d.last.Output, jsonv.Encode(want))
		}
	}
	for _, f := range []struct {
		key string
		got string
		has bool
	}{{"error", d.last.Error, d.last.HasError}, {"cause", d.last.Cause, d.last.HasCause}} {
		want, ok := exp.Get(f.key)
		if ok != f.has {
			return fmt.Errorf("%s present=%v (%q), want present=%v (%v)", f.key, f.has, f.got, ok, want)
		}
		if ok && !matchText(want, f.got) {
			return fmt.Errorf("%s %q, want %s", f.key, f.got, jsonv.Encode(want))
		}
	}
	if h, ok := exp.Get("history"); ok {
		return compareHistory(h.([]any), d.events)
	}
	return nil
}

func tail(evs []HistoryEvent) string {
	var parts []string
	for _, e := range evs[max(0, len(evs)-3):] {
		b, _ := json.Marshal(e)
		parts = append(parts, string(b))
	}
	return strings.Join(parts, " ")
}

// dataFields are details fields carried as JSON text on the wire.
var dataFields = map[string]bool{"input": true, "output": true, "parameters": true}

func compareHistory(want []any, got []HistoryEvent) error {
	if len(want) != len(got) {
		return fmt.Errorf("history has %d events, want %d:\n got %s\nwant %s", len(got), len(want), types(got), wantTypes(want))
	}
	for i, w := range want {
		wo := w.(*jsonv.Object)
		g := got[i]
		raw, _ := json.Marshal(g)
		gv, _ := jsonv.Decode(raw)
		gobj := gv.(*jsonv.Object)
		for _, m := range wo.Members {
			actual, ok := gobj.Get(m.Key)
			if !ok {
				return fmt.Errorf("event %d (%s): missing %s", i+1, g.Type, m.Key)
			}
			if !strings.HasSuffix(m.Key, "EventDetails") {
				if !match(m.Value, actual) {
					return fmt.Errorf("event %d: %s = %s, want %s", i+1, m.Key, jsonv.Encode(actual), jsonv.Encode(m.Value))
				}
				continue
			}
			if err := compareDetails(m.Value.(*jsonv.Object), actual); err != nil {
				return fmt.Errorf("event %d (%s): %w", i+1, g.Type, err)
			}
		}
	}
	return nil
}

func compareDetails(want *jsonv.Object, got any) error {
	gobj, ok := got.(*jsonv.Object)
	if !ok {
		return fmt.Errorf("details %s, want object", jsonv.Encode(got))
	}
	if gobj.Len() != want.Len() {
		return fmt.Errorf("details %s, want %s", jsonv.Encode(got), jsonv.Encode(want))
	}
	for _, m := range want.Members {
		actual, ok := gobj.Get(m.Key)
		if !ok {
			return fmt.Errorf("details lack %s: %s", m.Key, jsonv.Encode(got))
		}
		if m.Key == "assignedVariables" {
			actual = parseValues(actual)
		}
		_, wantObj := m.Value.(*jsonv.Object)
		_, wantArr := m.Value.([]any)
		if s, isStr := actual.(string); isStr && (dataFields[m.Key] || wantObj || wantArr) {
			if parsed, err := jsonv.DecodeString(s); err == nil {
				actual = parsed
			}
		}
		if dataFields[m.Key] || wantObj || wantArr {
			if !match(m.Value, actual) {
				return fmt.Errorf("%s = %s, want %s", m.Key, jsonv.Encode(actual), jsonv.Encode(m.Value))
			}
			continue
		}
		if !matchText(m.Value, fmt.Sprint(actual)) && !match(m.Value, actual) {
			return fmt.Errorf("%s = %s, want %s", m.Key, jsonv.Encode(actual), jsonv.Encode(m.Value))
		}
	}
	return nil
}

// parseValues parses the JSON text values of assignedVariables (README:
// values of assignedVariables are JSON text on the wire).
func parseValues(v any) any {
	o, ok := v.(*jsonv.Object)
	if !ok {
		return v
	}
	out := jsonv.NewObject(o.Len())
	for _, m := range o.Members {
		val := m.Value
		if s, isStr := val.(string); isStr {
			if parsed, err := jsonv.DecodeString(s); err == nil {
				val = parsed
			}
		}
		out.Set(m.Key, val)
	}
	return out
}

func types(evs []HistoryEvent) string {
	var s []string
	for _, e := range evs {
		s = append(s, e.Type)
	}
	return strings.Join(s, ",")
}

func wantTypes(want []any) string {
	var s []string
	for _, w := range want {
		t, _ := w.(*jsonv.Object).Get("type")
		s = append(s, fmt.Sprint(t))
	}
	return strings.Join(s, ",")
}

var placeholders = []string{"<arn>", "<token>", "<timestamp>", "<uuid>", "<name>", "<region>", "<account>", "<url>", "<any>"}

func isPlaceholder(s string) bool {
	for _, p := range placeholders {
		if s == p {
			return true
		}
	}
	return false
}

// match compares JSON values; expected strings may hold placeholders.
func match(want, got any) bool {
	switch w := want.(type) {
	case string:
		if isPlaceholder(w) {
			return true
		}
		g, ok := got.(string)
		return ok && matchString(w, g)
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !match(w[i], g[i]) {
				return false
			}
		}
		return true
	case *jsonv.Object:
		g, ok := got.(*jsonv.Object)
		if !ok || g.Len() != w.Len() {
			return false
		}
		for _, m := range w.Members {
			v, ok := g.Get(m.Key)
			if !ok || !match(m.Value, v) {
				return false
			}
		}
		return true
	}
	return jsonv.Equal(want, got)
}

// matchText compares an error or cause: a string with placeholders, or an
// object standing for JSON text.
func matchText(want any, got string) bool {
	if s, ok := want.(string); ok {
		return isPlaceholder(s) || matchString(s, got)
	}
	v, err := jsonv.DecodeString(got)
	return err == nil && match(want, v)
}

func matchString(want, got string) bool {
	if !strings.Contains(want, "<") {
		return want == got
	}
	pat := regexp.QuoteMeta(want)
	for _, p := range placeholders {
		pat = strings.ReplaceAll(pat, regexp.QuoteMeta(p), "(?s:.*)")
	}
	re, err := regexp.Compile("^" + pat + "$")
	return err == nil && re.MatchString(got)
}
