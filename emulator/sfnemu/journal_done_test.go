package sfnemu

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/interp"
)

// TestEncodeDoneIsMarshal checks that the spliced closed record is the
// one json.Marshal(doneRecord) gives, with its parts encoded when they
// were journaled, and with none encoded (a restored execution).
func TestEncodeDoneIsMarshal(t *testing.T) {
	at := time.Date(2024, 5, 1, 12, 0, 0, 123, time.UTC)
	start := startRecord{ID: 7, ARN: "arn:x", Name: "n", SM: "arn:sm", Input: `{"a":"<b>&"}`, Start: at,
		Rev: revisionSnapshot{Definition: "{\n \"StartAt\": \"A\"\n}", ID: "r1"}, Draws: drawn{Tokens: []string{"tok"}}}
	steps := []stepRecord{{At: at}, {At: at.Add(time.Second), Kind: "interp.TaskInvoked",
		Event: json.RawMessage(`{"TaskID":"1","Output":{"x":1}}`), Draws: drawn{UUIDs: []string{"u"}}}}
	cases := map[string]*execution{
		"succeeded": {status: interp.StatusSucceeded, stop: at.Add(2 * time.Second), output: json.RawMessage(`{"r":57}`), jr: &execJournal{}},
		"failed": {status: interp.StatusFailed, stop: at, failure: asl.NewFailure("E", "c"),
			jr: &execJournal{term: &termRecord{Type: "ExecutionFailed", Status: interp.StatusFailed, At: at}}},
		"no steps": {status: interp.StatusAborted, stop: at, jr: &execJournal{}},
	}
	for name, e := range cases {
		for _, kept := range []bool{true, false} {
			e.jr.start = start
			e.jr.steps, e.jr.startJSON, e.jr.stepsJSON = nil, nil, nil
			if name != "no steps" {
				e.jr.steps = steps
			}
			if kept {
				e.jr.startJSON, _ = json.Marshal(start)
				for i, st := range e.jr.steps {
					if i == 0 {
						e.jr.stepsJSON = append(e.jr.stepsJSON, nil) // one not kept
						continue
					}
					b, _ := json.Marshal(st)
					e.jr.stepsJSON = append(e.jr.stepsJSON, b)
				}
			}
			want, err := json.Marshal(doneRecord{Start: e.jr.start, Steps: e.jr.steps, Term: e.jr.term, Status: e.status,
				Stop: e.stop, Output: e.output, Failure: e.failure})
			if err != nil {
				t.Fatal(err)
			}
			got, err := encodeDone(e)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s (kept %v):\n got %s\nwant %s", name, kept, got, want)
			}
		}
	}
}
