package sfnemu

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
	"github.com/stepwire/stepwire/emulator/interp"
)

// statusDetail is the event's detail as AWS sends it (docs/eventbridge.md
// §1): dates in epoch milliseconds, input and output as JSON text, absent
// values as null.
type statusDetail struct {
	ExecutionArn           string    `json:"executionArn"`
	StateMachineArn        string    `json:"stateMachineArn"`
	Name                   string    `json:"name"`
	Status                 string    `json:"status"`
	StartDate              int64     `json:"startDate"`
	StopDate               *int64    `json:"stopDate"`
	Input                  string    `json:"input"`
	InputDetails           included  `json:"inputDetails"`
	Output                 *string   `json:"output"`
	OutputDetails          *included `json:"outputDetails"`
	StateMachineVersionArn *string   `json:"stateMachineVersionArn"`
	StateMachineAliasArn   *string   `json:"stateMachineAliasArn"`
	RedriveCount           int       `json:"redriveCount"`
	RedriveDate            *int64    `json:"redriveDate"`
	RedriveStatus          string    `json:"redriveStatus"`
	RedriveStatusReason    *string   `json:"redriveStatusReason"`
	Error                  *string   `json:"error"`
	Cause                  *string   `json:"cause"`
}

type included struct {
	Included bool `json:"included"`
}

// marshalDetail is how Detail encoded the detail before it was written
// directly: json.Marshal of a statusDetail.
func marshalDetail(ev StatusChangeEvent) json.RawMessage {
	d := statusDetail{
		ExecutionArn: ev.ExecutionArn, StateMachineArn: ev.StateMachineArn, Name: ev.Name,
		Status: string(ev.Status), StartDate: millis(ev.StartDate), Input: ev.Input,
		InputDetails: included{true}, Output: ev.Output,
		StateMachineVersionArn: optionalString(ev.StateMachineVersionArn),
		StateMachineAliasArn:   optionalString(ev.StateMachineAliasArn),
		RedriveStatus:          ev.RedriveStatus, RedriveStatusReason: optionalString(ev.RedriveStatusReason),
		Error: ev.Error, Cause: ev.Cause,
	}
	if !ev.StopDate.IsZero() {
		ms := millis(ev.StopDate)
		d.StopDate = &ms
	}
	if ev.Output != nil {
		d.OutputDetails = &included{true}
	}
	if d.RedriveStatusReason == nil && ev.RedriveStatus == "REDRIVABLE" {
		reason := "Execution is " + string(ev.Status) + " and is redrivable"
		d.RedriveStatusReason = &reason
	}
	b, _ := json.Marshal(d) // strings, numbers and pointers only: cannot fail
	return b
}

func optionalString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

var marshalStrings = []string{"", "plain", `q"b\s`, "\b\f\n\r\t\x00\x01\x1f\x7f", "<a href='x'>&amp;</a>",
	"caf\u00e9 \u2028\u2029 \U0001F600", "bad \xff\xfe\xc0 utf8 \xe2\x82", `{"a":15,"b":42}`, "\u2027\u202a"}

func TestAppendMarshalString(t *testing.T) {
	for _, s := range marshalStrings {
		want, _ := json.Marshal(s)
		if got := jsonv.AppendMarshalString([]byte("x"), s); !bytes.Equal(got, append([]byte("x"), want...)) {
			t.Errorf("%q: got %s, want %s", s, got[1:], want)
		}
	}
}

func FuzzAppendMarshalString(f *testing.F) {
	for _, s := range marshalStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := jsonv.AppendMarshalString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("%q: got %s, want %s", s, got, want)
		}
	})
}

func TestDetailAsJSONMarshal(t *testing.T) {
	out, errName, cause := `{"a":15,"b":42,"lambdaOutput":{"result":57}}`, "States.TaskFailed", "it <failed> & \u2028"
	start, stop := time.Date(2026, 12, 6, 5, 0, 0, 123456789, time.UTC), time.Date(2026, 12, 6, 5, 0, 1, 0, time.UTC)
	base := ExecutionDescription{ExecutionArn: "arn:aws:states:us-east-1:123456789012:execution:M:e", StateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:M",
		Name: "e", Status: interp.StatusRunning, StartDate: start, Input: `{"a":15,"b":42}`}
	cases := []func(d *ExecutionDescription){
		func(d *ExecutionDescription) {},
		func(d *ExecutionDescription) { d.Status, d.StopDate, d.Output = interp.StatusSucceeded, stop, &out },
		func(d *ExecutionDescription) {
			d.Status, d.StopDate, d.Error, d.Cause, d.RedriveStatus = interp.StatusFailed, stop, &errName, &cause, "REDRIVABLE"
		},
		func(d *ExecutionDescription) {
			d.RedriveStatus, d.RedriveStatusReason = "NOT_REDRIVABLE", "Execution is RUNNING and cannot be redriven"
		},
		func(d *ExecutionDescription) {
			d.StateMachineVersionArn, d.StateMachineAliasArn = base.StateMachineArn+":3", base.StateMachineArn+":prod"
		},
		func(d *ExecutionDescription) { d.Input, d.Name = "{\"s\":\"<\u00e9\\n>\"}", "name-\xff" },
		func(d *ExecutionDescription) { d.RedriveCount, d.RedriveDate = 2, stop },
	}
	for i, c := range cases {
		d := base
		c(&d)
		ev := StatusChangeEvent{d}
		if got, want := ev.Detail(), marshalDetail(ev); !bytes.Equal(got, want) {
			t.Errorf("case %d:\n got %s\nwant %s", i, got, want)
		}
	}
}
