package interp

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/stepwire/stepwire/emulator/asl"
)

// Open then Enter, with the same now, gives Start's events and commands:
// a driver may answer StartExecution once ExecutionStarted is logged and
// evaluate the first state afterwards.
func TestOpenThenEnterIsStart(t *testing.T) {
	cases := map[string]string{
		"pass":    `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`,
		"timeout": `{"TimeoutSeconds":5,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}}`,
		"fail":    `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E"}}}`,
	}
	for name, definition := range cases {
		t.Run(name, func(t *testing.T) {
			def, err := asl.Parse([]byte(definition), asl.Options{})
			if err != nil {
				t.Fatal(err)
			}
			whole := New(def, json.RawMessage(`{"a":1}`), Options{}).Start(t0)
			m := New(def, json.RawMessage(`{"a":1}`), Options{})
			open := m.Open(t0)
			if open.Done || len(open.Events) != 1 || open.Events[0].Type != "ExecutionStarted" {
				t.Fatalf("Open = %+v, want only ExecutionStarted", open)
			}
			enter := m.Enter(t0)
			split := enter
			split.Events = append(open.Events, enter.Events...)
			split.Commands = append(open.Commands, enter.Commands...)
			if !reflect.DeepEqual(whole, split) {
				t.Fatalf("Open+Enter = %+v, Start = %+v", split, whole)
			}
		})
	}
}
