package casematch

import (
	"strings"
	"testing"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

func mustObject(t *testing.T, s string) *jsonv.Object {
	t.Helper()
	v, err := jsonv.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return v.(*jsonv.Object)
}

const oldMapHistory = `[{"id":4,"type":"MapRunStarted","previousEventId":3},{"id":5,"type":"MapRunSucceeded","previousEventId":4},
	{"id":6,"type":"MapStateSucceeded","previousEventId":5},{"id":7,"type":"MapStateExited","previousEventId":5}]`

const oldContext = `[{"id":3,"type":"TaskScheduled","taskScheduledEventDetails":{"parameters":{"Payload":{"ThisContextObject":
	{"Execution":{"Id":"<arn>","Input":{},"StartTime":"<timestamp>","Name":"<name>","RoleArn":"<arn>"}}}}}}]`

// Each documented AWS change rewrites exactly the cases recorded before it
// (and of the machine type it concerns), and leaves the document itself
// as it was.
func TestCurrentRewritesOnlyOlderRecordings(t *testing.T) {
	tests := []struct {
		name, recorded, typ, history string
		want                         string // a fragment of the rewritten history; "" when unchanged
	}{
		{"map exit, recorded before the change", "20-07-2024, 08:30:22", "STANDARD", oldMapHistory,
			`{"id":7,"type":"MapStateExited","previousEventId":4}`},
		{"map exit, recorded after the change", "15-11-2024, 13:56:59", "STANDARD", oldMapHistory, ""},
		{"redrive count, standard before redrive", "24-10-2023, 17:18:16", "STANDARD", oldContext, `"RoleArn":"<arn>","RedriveCount":0`},
		{"redrive count, express", "24-10-2023, 17:18:16", "EXPRESS", oldContext, ""},
		{"no recording date", "", "STANDARD", oldMapHistory, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := `{}`
			if tt.recorded != "" {
				src = `{"recorded_date":"` + tt.recorded + `"}`
			}
			doc := mustObject(t, `{"state_machine_type":"`+tt.typ+`","source":`+src+`,"expect":{"status":"SUCCEEDED","history":`+tt.history+`}}`)
			before := jsonv.EncodeString(doc)
			exp, applied := Current(doc)
			got, _ := exp.Get("history")
			text := jsonv.EncodeString(got)
			if tt.want == "" {
				if len(applied) != 0 || !strings.Contains(before, strings.ReplaceAll(text, " ", "")) {
					t.Fatalf("changed %v: %s", applied, text)
				}
			} else if len(applied) != 1 || !strings.Contains(text, tt.want) {
				t.Fatalf("applied %v, history %s; want %s", applied, text, tt.want)
			}
			if jsonv.EncodeString(doc) != before {
				t.Fatal("the case document itself was changed")
			}
		})
	}
}
