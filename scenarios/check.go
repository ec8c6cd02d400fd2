package scenarios

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/stepwire/stepwire/emulator/iotemu/rules"
)

// Check compares a result with the scenario's final expectations and
// describes every mismatch.
func (s *Scenario) Check(r Result) error {
	return s.checkExpect(s.Expect, r)
}

func (s *Scenario) checkExpect(e Expect, r Result) error {
	diffs := expectDiffs(e, r)
	if len(diffs) > 0 {
		return fmt.Errorf("scenario %q:\n  %s", s.Name, strings.Join(diffs, "\n  "))
	}
	return nil
}

func expectDiffs(e Expect, r Result) []string {
	name := e.Execution
	if name == "" {
		name = mainExecution
	}
	x, ok := r.execs[name]
	if !ok && r.execs == nil { // a Result built by hand: the first execution's fields
		x = execResult{Status: r.Status, Output: r.Output, Error: r.Error, Cause: r.Cause, Elapsed: r.Elapsed, Ended: true}
		ok = true
	}
	if !ok {
		return []string{fmt.Sprintf("execution %s was never started", name)}
	}
	var diffs []string
	add := func(format string, args ...any) { diffs = append(diffs, name+": "+fmt.Sprintf(format, args...)) }
	if e.Status != "" && x.Status != e.Status {
		add("status = %s, want %s (error %q, cause %q)", x.Status, e.Status, x.Error, x.Cause)
	}
	if e.Output != nil && !sameJSON(x.Output, e.Output) {
		want, _ := json.Marshal(e.Output)
		add("output = %s, want %s", x.Output, want)
	}
	if e.Error != "" && x.Error != e.Error {
		add("error = %q, want %q", x.Error, e.Error)
	}
	if e.Cause != "" && x.Cause != e.Cause {
		add("cause = %q, want %q", x.Cause, e.Cause)
	}
	if e.Elapsed != 0 && !r.wall && x.Elapsed != e.Elapsed {
		add("virtual time elapsed = %v, want %v", x.Elapsed, e.Elapsed)
	}
	if e.Elapsed != 0 && r.wall && (x.Elapsed < e.Elapsed-wallEarly || x.Elapsed > e.Elapsed+wallSlack(e.Elapsed)) {
		add("wall time elapsed = %v, want %v (up to %v late)", x.Elapsed, e.Elapsed, wallSlack(e.Elapsed))
	}
	if e.At != 0 && x.At != e.At {
		add("ended at +%v of virtual time, want +%v", x.At, e.At)
	}
	if e.Within != 0 && (!x.Ended || x.Elapsed > e.Within) {
		add("took %v (ended %v), want within %v", x.Elapsed, x.Ended, e.Within)
	}
	history := r.History
	if r.execs != nil {
		history = eventTypes(x.Events)
	}
	if e.History != nil && !reflect.DeepEqual(history, e.History) {
		add("history = %v\n      want %v", history, e.History)
	}
	if miss := missingEvents(e.Events, x.Events); miss != "" {
		add("%s", miss)
	}
	for _, m := range e.MQTT {
		if d := mqttDiff(m, r.mqtt); d != "" {
			diffs = append(diffs, d)
		}
	}
	for _, l := range e.Logs {
		if d := logDiff(l, r.logs); d != "" {
			diffs = append(diffs, d)
		}
	}
	for n, sub := range e.Executions {
		sub.Execution = n
		diffs = append(diffs, expectDiffs(sub, r)...)
	}
	return diffs
}

// On wall time an elapsed time is checked within bounds: timers fire no
// earlier than due (less the wire's millisecond rounding), and up to
// wallSlack late.
const wallEarly = 50 * time.Millisecond

func wallSlack(d time.Duration) time.Duration { return max(2*time.Second, d/5) }

func eventTypes(events []map[string]json.RawMessage) []string {
	out := make([]string, len(events))
	for i, ev := range events {
		_ = json.Unmarshal(ev["type"], &out[i])
	}
	return out
}

// missingEvents finds want in events, in order, each event's details
// holding the fields; it describes the first one not found.
func missingEvents(want []EventExpect, events []map[string]json.RawMessage) string {
	i := 0
	for n, w := range want {
		found := false
		for ; i < len(events) && !found; i++ {
			var typ string
			_ = json.Unmarshal(events[i]["type"], &typ)
			found = typ == w.Type && fieldsMatch(w.Fields, details(events[i]))
		}
		if !found {
			return fmt.Sprintf("events[%d]: no %s with %v after the earlier ones; history: %v", n, w.Type, w.Fields, eventTypes(events))
		}
	}
	return ""
}

// details is the "<type>EventDetails" object of an event.
func details(ev map[string]json.RawMessage) map[string]any {
	for k, v := range ev {
		if strings.HasSuffix(k, "EventDetails") {
			var m map[string]any
			_ = json.Unmarshal(v, &m)
			return m
		}
	}
	return nil
}

// fieldsMatch reports whether got holds every field of want; a string
// field that holds JSON (an output, an input) matches a JSON subset.
func fieldsMatch(want map[string]any, got map[string]any) bool {
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			return false
		}
		if s, isString := g.(string); isString {
			if _, wantString := w.(string); !wantString {
				var v any
				if json.Unmarshal([]byte(s), &v) != nil {
					return false
				}
				g = v
			}
		}
		if !subset(toJSON(w), g) {
			return false
		}
	}
	return true
}

// subset reports whether got holds want: objects by their keys, arrays
// element by element, the rest equal.
func subset(want, got any) bool {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return false
		}
		for k, v := range w {
			if !subset(v, g[k]) {
				return false
			}
		}
		return true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !subset(w[i], g[i]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(want, got)
}

// toJSON turns a YAML value into what encoding/json decodes.
func toJSON(v any) any {
	b, err := json.Marshal(normaliseYAML(v))
	if err != nil {
		return v
	}
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

func mqttDiff(m MQTTExpect, seen []seenMessage) string {
	client := m.Client
	if client == "" {
		client = observerName
	}
	n := 0
	var topics []string
	for _, msg := range seen {
		if msg.Client != client {
			continue
		}
		topics = append(topics, msg.Topic)
		if !rules.MatchFilter(m.Topic, msg.Topic) {
			continue
		}
		if m.Payload != nil {
			var got any
			if json.Unmarshal(msg.Payload, &got) != nil || !subset(toJSON(m.Payload), got) {
				continue
			}
		}
		n++
	}
	want, _ := json.Marshal(m.Payload)
	switch {
	case m.Count != nil && n != *m.Count:
		return fmt.Sprintf("mqtt: %s saw %d message(s) on %s holding %s, want %d", client, n, m.Topic, want, *m.Count)
	case m.Count == nil && n == 0:
		return fmt.Sprintf("mqtt: %s saw no message on %s holding %s (topics seen: %v)", client, m.Topic, want, topics)
	}
	return ""
}

func logMatches(l LogExpect, records []logRecord) bool { return logCount(l, records) > 0 }

func logCount(l LogExpect, records []logRecord) int {
	n := 0
	for _, rec := range records {
		switch {
		case l.Worker != "" && rec.Source != l.Worker,
			l.Function != "" && rec.Attrs["function"] != l.Function,
			rec.Event != l.Event:
			continue
		}
		ok := true
		for k, v := range l.Fields {
			ok = ok && strings.Contains(rec.Attrs[k], v)
		}
		if ok {
			n++
		}
	}
	return n
}

func logDiff(l LogExpect, records []logRecord) string {
	n := logCount(l, records)
	who := l.Worker
	if l.Function != "" {
		who = "function " + l.Function
	}
	switch {
	case l.Count != nil && n != *l.Count:
		return fmt.Sprintf("logs: %d %q event(s) of %s with %v, want %d", n, l.Event, who, l.Fields, *l.Count)
	case l.Count == nil && n == 0:
		return fmt.Sprintf("logs: no %q event of %s with %v", l.Event, who, l.Fields)
	}
	return ""
}

func sameJSON(text string, want any) bool {
	var got any
	if err := json.Unmarshal([]byte(text), &got); err != nil {
		return false
	}
	return reflect.DeepEqual(got, toJSON(want))
}
