package interp

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stepwire/stepwire/emulator/asl"
)

var t0 = time.Date(2024, 4, 18, 6, 0, 0, 0, time.UTC)

// harness drives one Machine and records its transcript.
type harness struct {
	t       *testing.T
	m       *Machine
	now     time.Time
	events  []HistoryEvent
	last    Step
	tokens  int
	invokes []InvokeTask
	timers  map[string]time.Time
	closed  []string
	// runs and children are the latest report of each Map Run and child
	// execution; childEvents accumulates each child's history.
	runs        map[string]MapRun
	children    map[string]ChildExecution
	childOrder  []string
	childEvents map[string][]HistoryEvent
}

func newHarness(t *testing.T, definition, input string) *harness {
	t.Helper()
	return newHarnessWith(t, definition, input, nil)
}

// newHarnessWith is newHarness with Options adjusted by opt before the
// execution starts.
func newHarnessWith(t *testing.T, definition, input string, opt func(*Options)) *harness {
	t.Helper()
	def, err := asl.Parse([]byte(definition), asl.Options{})
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	h := &harness{t: t, now: t0, timers: map[string]time.Time{}, runs: map[string]MapRun{},
		children: map[string]ChildExecution{}, childEvents: map[string][]HistoryEvent{}}
	opts := Options{
		ExecutionArn:     "arn:aws:states:us-east-1:123456789012:execution:sm:ex",
		ExecutionName:    "ex",
		StateMachineArn:  "arn:aws:states:us-east-1:123456789012:stateMachine:sm",
		StateMachineName: "sm",
		RoleArn:          "arn:aws:iam::123456789012:role/r",
		Region:           "us-east-1",
		Account:          "123456789012",
		NewToken: func() string {
			h.tokens++
			return fmt.Sprintf("token-%d", h.tokens)
		},
	}
	if opt != nil {
		opt(&opts)
	}
	h.m = New(def, json.RawMessage(input), opts)
	h.record(h.m.Start(h.now))
	return h
}

func (h *harness) record(s Step) {
	h.last = s
	h.events = append(h.events, s.Events...)
	for _, r := range s.MapRuns {
		h.runs[r.MapRunArn] = r
	}
	for _, c := range s.Children {
		if _, seen := h.children[c.ExecutionArn]; !seen {
			h.childOrder = append(h.childOrder, c.ExecutionArn)
		}
		h.children[c.ExecutionArn] = c
		h.childEvents[c.ExecutionArn] = append(h.childEvents[c.ExecutionArn], c.Events...)
	}
	for _, c := range s.Commands {
		switch c := c.(type) {
		case InvokeTask:
			h.invokes = append(h.invokes, c)
		case ArmTimer:
			h.timers[c.TimerID] = c.At
		case CancelTimer:
			delete(h.timers, c.TimerID)
		case CloseToken:
			h.closed = append(h.closed, c.Token)
		}
	}
}

func (h *harness) handle(ev Event) error {
	h.t.Helper()
	s, err := h.m.Handle(h.now, ev)
	h.record(s)
	return err
}

// lastInvoke returns the latest InvokeTask command.
func (h *harness) lastInvoke() InvokeTask {
	h.t.Helper()
	if len(h.invokes) == 0 {
		h.t.Fatal("no task invoked")
	}
	return h.invokes[len(h.invokes)-1]
}

// fireNext advances to the earliest armed timer and fires it.
func (h *harness) fireNext() {
	h.t.Helper()
	var id string
	var at time.Time
	for k, v := range h.timers {
		if id == "" || v.Before(at) {
			id, at = k, v
		}
	}
	if id == "" {
		h.t.Fatal("no timer armed")
	}
	delete(h.timers, id)
	h.now = at
	if err := h.handle(TimerFired{TimerID: id}); err != nil {
		h.t.Fatalf("timer %s: %v", id, err)
	}
}

// transcript renders "id:Type<p" lines.
func (h *harness) transcript() string {
	var b strings.Builder
	for _, e := range h.events {
		fmt.Fprintf(&b, "%d %s p=%d\n", e.ID, e.Type, e.PreviousEventID)
	}
	return b.String()
}

// details returns the JSON of event id's details.
func (h *harness) details(id int64) string {
	h.t.Helper()
	for _, e := range h.events {
		if e.ID == id {
			b, err := json.Marshal(e.Details)
			if err != nil {
				h.t.Fatal(err)
			}
			return string(b)
		}
	}
	h.t.Fatalf("no event %d", id)
	return ""
}

func lines(s ...string) string { return strings.Join(s, "\n") + "\n" }
