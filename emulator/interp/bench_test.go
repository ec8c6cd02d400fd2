package interp

import (
	"encoding/json"
	"testing"

	"github.com/stepwire/stepwire/emulator/asl"
)

// BenchmarkSampleExecution runs the dispatch pattern's machine end to end.
func BenchmarkSampleExecution(b *testing.B) {
	def, err := asl.Parse([]byte(sampleMachine), asl.Options{})
	if err != nil {
		b.Fatal(err)
	}
	input := json.RawMessage(`{"a":15,"b":42}`)
	opts := Options{Region: "us-east-1", NewToken: func() string { return "tok" }}
	b.ReportAllocs()
	for b.Loop() {
		m := New(def, input, opts)
		s := m.Start(t0)
		inv := s.Commands[0].(InvokeTask)
		if _, err := m.Handle(t0, TaskInvoked{TaskID: inv.TaskID, Output: json.RawMessage(invokeResponse)}); err != nil {
			b.Fatal(err)
		}
		s, err := m.Handle(t0, CallbackSuccess{Token: "tok", Output: `{"result":57}`})
		if err != nil || s.Status != StatusSucceeded {
			b.Fatalf("%v %s", err, s.Status)
		}
	}
}
