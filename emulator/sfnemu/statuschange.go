package sfnemu

import (
	"context"
	"encoding/json"
	"sync"
	"time"
)

// StatusChangeEvent is one "Step Functions Execution Status Change": a
// Standard execution started (RUNNING) or ended (SUCCEEDED, FAILED,
// TIMED_OUT, ABORTED) (docs/eventbridge.md §1). Its Description mirrors
// DescribeExecution at the time of the change.
type StatusChangeEvent struct {
	ExecutionDescription
}

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

// Detail is the event's detail object (docs/eventbridge.md §1). Input and
// output are always included: stepwire does not apply the 248 KB cut.
func (ev StatusChangeEvent) Detail() json.RawMessage {
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

func millis(t time.Time) int64 { return t.UnixMilli() }

func optionalString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// statusQueue hands status changes to Config.StatusChange in the order
// they happened, on one of the service's goroutines and with no lock
// held: they are queued where the status changes (under the execution's
// mutex) and drained by one goroutine at a time.
type statusQueue struct {
	mu       sync.Mutex
	items    []StatusChangeEvent
	draining bool
}

// notifyStatus queues a status change of a Standard execution; Express
// executions emit none (docs/eventbridge.md §1). e.mu may be held.
func (s *Service) notifyStatus(e *execution, info execInfo) {
	if s.cfg.StatusChange == nil || e.sm.typ == typeExpress {
		return
	}
	q := &s.statusQ
	q.mu.Lock()
	q.items = append(q.items, StatusChangeEvent{describe(info, s.cfg.Clock.Now())})
	start := !q.draining
	q.draining = true
	q.mu.Unlock()
	if start && !s.work.Go(s.drainStatus) {
		q.mu.Lock()
		q.items, q.draining = nil, false // closed: nobody is listening
		q.mu.Unlock()
	}
}

func (s *Service) drainStatus() {
	q := &s.statusQ
	for {
		q.mu.Lock()
		if len(q.items) == 0 {
			q.draining = false
			q.mu.Unlock()
			return
		}
		ev := q.items[0]
		q.items = q.items[1:]
		q.mu.Unlock()
		s.cfg.StatusChange(context.WithoutCancel(s.ctx), ev)
	}
}
