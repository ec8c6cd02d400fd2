package events

import (
	"fmt"
	"testing"
	"time"

	"github.com/stepwire/stepwire/emulator/events/pattern"
)

// flatten (built from an event's parts) and the rendered envelope decoded
// by encoding/json answer every pattern alike.
func TestFlattenMatchesLikeTheRenderedEnvelope(t *testing.T) {
	s, _ := newService(t)
	patterns := []string{
		`{"source":["aws.states"],"detail-type":["Step Functions Execution Status Change"]}`,
		`{"detail":{"status":["FAILED","SUCCEEDED"]}}`,
		`{"detail":{"n":[{"numeric":[">",3]}]}}`,
		`{"detail":{"n":[5]}}`,
		`{"detail":{"list":["b"]}}`,
		`{"detail":{"nested":{"deep":[null]}}}`,
		`{"detail":{"flag":[true]}}`,
		`{"detail":{"missing":[{"exists":false}]}}`,
		`{"detail":{"esc":["é\"x"]}}`,
		`{"resources":["arn:aws:states:us-east-1:123456789012:execution:m:e"]}`,
		`{"resources":[{"exists":false}]}`,
		`{"account":["123456789012"],"region":[{"prefix":"us-"}],"version":["0"]}`,
		`{"time":[{"prefix":"2024-"}]}`,
		`{"id":["id-1"]}`,
		`{"detail":{"bad":["\ufffd"]}}`,
		`{"detail":{"a":{"b":[1]}}}`,
		`{"detail":{"a.b":[2]}}`,
		`{"$or":[{"detail":{"status":["RUNNING"]}},{"detail":{"nested":{"deep":[{"exists":true}]}}}]}`,
		`{"detail":{"k\u00e9y":["v"]}}`,
	}
	details := []string{
		`{"status":"SUCCEEDED","n":5,"list":["a","b"],"nested":{"deep":null},"flag":true}`,
		`{"status":"RUNNING","n":1.5e1,"list":[],"nested":{"deep":{"x":1}},"esc":"\u00e9\"x"}`,
		`{"n":2,"n":7}`,
		`{}`,
		"{\"bad\":\"\xff\"}",
		`{"a":{"b":1},"a.b":2, "n" : [ {"x":"}]"} , 7 ] }`,
		`{"a":{"b":3},"a":{"b":1},"k\u00e9y":"v","status":"RUNNING","status":"FAILED"}`,
	}
	matched := 0
	for _, res := range [][]string{nil, {"arn:aws:states:us-east-1:123456789012:execution:m:e"}} {
		for _, d := range details {
			e := Event{Source: "aws.states", DetailType: "Step Functions Execution Status Change", Resources: res,
				Detail: []byte(d), Time: time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)}
			doc, _, err := s.render("id-1", e)
			if err != nil {
				t.Fatalf("render %s: %v", d, err)
			}
			rendered, err := pattern.ParseEvent(doc)
			if err != nil {
				t.Fatalf("parse %s: %v", doc, err)
			}
			for _, src := range patterns {
				p, err := pattern.Parse(src)
				if err != nil {
					t.Fatalf("pattern %s: %v", src, err)
				}
				flat, err := s.flatten("id-1", e, p.Paths())
				if err != nil {
					t.Fatalf("flatten %s: %v", d, err)
				}
				got, want := p.Matches(flat), p.Matches(rendered)
				if got != want {
					t.Error(fmt.Sprintf("pattern %s on %s: flattened %v, rendered %v", src, doc, got, want))
				}
				if want {
					matched++
				}
			}
		}
	}
	if matched < 10 {
		t.Fatalf("only %d pattern/event pairs matched: the cases test too little", matched)
	}
}
