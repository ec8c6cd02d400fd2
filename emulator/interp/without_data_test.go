package interp

import (
	"encoding/json"
	"reflect"
	"testing"
)

// GetExecutionHistory with includeExecutionData=false leaves out "input or
// output of a history event" (the API model's definition of execution
// data): WithoutData removes the input and output members of every details
// object, whatever the event type, and nothing else.
func TestWithoutDataDropsInputAndOutputOnly(t *testing.T) {
	def := `{"StartAt":"P","States":{"P":{"Type":"Pass","Next":"T"},
	 "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Next":"L"},
	 "L":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true}}}`
	h := newHarness(t, def, `{"a":1}`)
	for range 2 {
		if err := h.handle(TaskInvoked{TaskID: h.lastInvoke().TaskID, Output: json.RawMessage(`{"b":2}`)}); err != nil {
			t.Fatal(err)
		}
	}
	if h.last.Status != StatusSucceeded {
		t.Fatalf("status %s", h.last.Status)
	}
	for _, e := range h.events {
		raw, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		got, err := json.Marshal(e.WithoutData())
		if err != nil {
			t.Fatal(err)
		}
		var want, have map[string]any
		if json.Unmarshal(raw, &want) != nil || json.Unmarshal(got, &have) != nil {
			t.Fatalf("decode %s / %s", raw, got)
		}
		if d, ok := want[e.Type.DetailsKey()].(map[string]any); ok {
			delete(d, "input")
			delete(d, "output")
		}
		if !reflect.DeepEqual(have, want) {
			t.Errorf("%s without data: %s", e.Type, got)
		}
	}
}
