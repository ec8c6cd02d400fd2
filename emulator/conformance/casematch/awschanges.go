package casematch

import (
	"time"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// AWSChange is a behaviour AWS changed after some of the cases were
// recorded: the recordings made before Since show the old behaviour,
// which AWS no longer gives and stepwire does not emulate. Current
// rewrites such a case's expectation to today's behaviour, so that the
// case still checks everything else it recorded, and the runners count it
// apart. Each change is shown by recordings on both sides of its date.
type AWSChange struct {
	// Name says what changed, and the recordings that show it.
	Name string
	// Since is the first recording showing the new behaviour.
	Since time.Time
	// standardOnly limits the change to Standard state machines.
	standardOnly bool
	// rewrite turns a recorded expectation (a copy) into today's; it
	// reports whether anything changed.
	rewrite func(expect *jsonv.Object) bool
}

// AWSChanges are the documented changes (docs/step-functions.md §5.2).
var AWSChanges = []AWSChange{{
	Name: "a Standard execution's context object has Execution.RedriveCount since RedriveExecution came out " +
		"(2023-11-15): every Standard recording of it from 2024-07-15 on; the two of 2023-10-24 have none",
	Since:        time.Date(2023, 11, 15, 0, 0, 0, 0, time.UTC),
	standardOnly: true,
	rewrite:      contextRedriveCount,
}, {
	Name: "a Distributed Map's MapStateExited follows MapRunStarted: every recording from 2024-11-15 on; " +
		"up to 2024-07-20 it followed MapRunSucceeded",
	Since:   time.Date(2024, 11, 15, 0, 0, 0, 0, time.UTC),
	rewrite: mapExitAfterRunStarted,
}}

// recordedLayout is the format of a case's source.recorded_date.
const recordedLayout = "02-01-2006, 15:04:05"

// Current returns the expectation of a case document as AWS would record
// it today, and the changes applied; a case recorded after every change,
// or without a recording date, is returned as it is.
func Current(doc *jsonv.Object) (*jsonv.Object, []string) {
	v, _ := doc.Get("expect")
	exp, _ := v.(*jsonv.Object)
	recorded, ok := recordedDate(doc)
	if exp == nil || !ok {
		return exp, nil
	}
	var applied []string
	typ, _ := str(doc, "state_machine_type")
	for _, ch := range AWSChanges {
		if !recorded.Before(ch.Since) || (ch.standardOnly && typ == "EXPRESS") {
			continue
		}
		c := deepCopy(exp).(*jsonv.Object)
		if ch.rewrite(c) {
			exp = c
			applied = append(applied, ch.Name)
		}
	}
	return exp, applied
}

func recordedDate(doc *jsonv.Object) (time.Time, bool) {
	v, _ := doc.Get("source")
	src, _ := v.(*jsonv.Object)
	s, ok := str(src, "recorded_date")
	if src == nil || !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(recordedLayout, s)
	return t, err == nil
}

// mapExitAfterRunStarted points each MapStateExited that follows a
// MapRunSucceeded at that event's own previous event, the MapRunStarted.
func mapExitAfterRunStarted(exp *jsonv.Object) bool {
	v, _ := exp.Get("history")
	events, _ := v.([]any)
	byID := map[string]*jsonv.Object{}
	changed := false
	for _, e := range events {
		ev, _ := e.(*jsonv.Object)
		if ev == nil {
			continue
		}
		id, _ := ev.Get("id")
		byID[jsonv.EncodeString(id)] = ev
		if typ, _ := str(ev, "type"); typ != "MapStateExited" {
			continue
		}
		prevID, _ := ev.Get("previousEventId")
		prev := byID[jsonv.EncodeString(prevID)]
		if typ, _ := str(prev, "type"); typ != "MapRunSucceeded" {
			continue
		}
		started, _ := prev.Get("previousEventId")
		ev.Set("previousEventId", started)
		changed = true
	}
	return changed
}

// contextRedriveCount adds RedriveCount 0 to each context object's
// Execution member recorded in the history's event details (an object
// with Id, Input, StartTime, Name and RoleArn, under the key Execution).
func contextRedriveCount(exp *jsonv.Object) bool {
	v, _ := exp.Get("history")
	changed := false
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				walk(e)
			}
		case *jsonv.Object:
			for _, m := range x.Members {
				if ex, ok := m.Value.(*jsonv.Object); ok && m.Key == "Execution" && isContextExecution(ex) {
					ex.Set("RedriveCount", jsonv.IntNumber(0))
					changed = true
				}
				walk(m.Value)
			}
		}
	}
	walk(v)
	return changed
}

func isContextExecution(o *jsonv.Object) bool {
	for _, k := range []string{"Id", "Input", "StartTime", "Name", "RoleArn"} {
		if _, ok := o.Get(k); !ok {
			return false
		}
	}
	_, has := o.Get("RedriveCount")
	return !has
}

// deepCopy copies objects and arrays; other values are immutable.
func deepCopy(v any) any {
	switch x := v.(type) {
	case *jsonv.Object:
		c := jsonv.NewObject(x.Len())
		for _, m := range x.Members {
			c.Members = append(c.Members, jsonv.Member{Key: m.Key, Value: deepCopy(m.Value)})
		}
		return c
	case []any:
		c := make([]any, len(x))
		for i, e := range x {
			c[i] = deepCopy(e)
		}
		return c
	}
	return v
}
