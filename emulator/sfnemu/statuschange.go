package sfnemu

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"time"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
)

// StatusChangeEvent is one "Step Functions Execution Status Change": a
// Standard execution started (RUNNING) or ended (SUCCEEDED, FAILED,
// TIMED_OUT, ABORTED) (docs/eventbridge.md §1). Its Description mirrors
// DescribeExecution at the time of the change.
type StatusChangeEvent struct {
	ExecutionDescription
}

// Detail is the event's detail object (docs/eventbridge.md §1): dates in
// epoch milliseconds, input and output as JSON text, absent values as
// null. Input and output are always included: stepwire does not apply the
// 248 KB cut. It is written directly, in the bytes json.Marshal wrote for
// the struct of the detail's members (statuschange_test.go keeps it).
func (ev StatusChangeEvent) Detail() json.RawMessage {
	size := 512 + len(ev.ExecutionArn) + len(ev.StateMachineArn) + len(ev.Name) + len(ev.Input)
	if ev.Output != nil {
		size += len(*ev.Output)
	}
	b := make([]byte, 0, size)
	b = append(b, `{"executionArn":`...)
	b = jsonv.AppendMarshalString(b, ev.ExecutionArn)
	b = append(b, `,"stateMachineArn":`...)
	b = jsonv.AppendMarshalString(b, ev.StateMachineArn)
	b = append(b, `,"name":`...)
	b = jsonv.AppendMarshalString(b, ev.Name)
	b = append(b, `,"status":`...)
	b = jsonv.AppendMarshalString(b, string(ev.Status))
	b = append(b, `,"startDate":`...)
	b = strconv.AppendInt(b, millis(ev.StartDate), 10)
	b = append(b, `,"stopDate":`...)
	if ev.StopDate.IsZero() {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendInt(b, millis(ev.StopDate), 10)
	}
	b = append(b, `,"input":`...)
	b = jsonv.AppendMarshalString(b, ev.Input)
	b = append(b, `,"inputDetails":{"included":true},"output":`...)
	if ev.Output == nil {
		b = append(b, `null,"outputDetails":null`...)
	} else {
		b = jsonv.AppendMarshalString(b, *ev.Output)
		b = append(b, `,"outputDetails":{"included":true}`...)
	}
	b = append(b, `,"stateMachineVersionArn":`...)
	b = appendOptionalString(b, ev.StateMachineVersionArn)
	b = append(b, `,"stateMachineAliasArn":`...)
	b = appendOptionalString(b, ev.StateMachineAliasArn)
	b = append(b, `,"redriveCount":0,"redriveDate":null,"redriveStatus":`...)
	b = jsonv.AppendMarshalString(b, ev.RedriveStatus)
	b = append(b, `,"redriveStatusReason":`...)
	switch {
	case ev.RedriveStatusReason != "":
		b = jsonv.AppendMarshalString(b, ev.RedriveStatusReason)
	case ev.RedriveStatus == "REDRIVABLE":
		b = jsonv.AppendMarshalString(b, "Execution is "+string(ev.Status)+" and is redrivable")
	default:
		b = append(b, "null"...)
	}
	b = append(b, `,"error":`...)
	b = appendStringPointer(b, ev.Error)
	b = append(b, `,"cause":`...)
	b = appendStringPointer(b, ev.Cause)
	return append(b, '}')
}

// appendOptionalString appends s, or null when it is empty.
func appendOptionalString(b []byte, s string) []byte {
	if s == "" {
		return append(b, "null"...)
	}
	return jsonv.AppendMarshalString(b, s)
}

// appendStringPointer appends *s, or null when s is nil.
func appendStringPointer(b []byte, s *string) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	return jsonv.AppendMarshalString(b, *s)
}

func millis(t time.Time) int64 { return t.UnixMilli() }

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

// StatusChangesPending reports the status-change events queued or being
// handed to Config.StatusChange (the drainer counts as one more from when
// it is started): zero exactly when every one has been handed on. Test
// harnesses on virtual time read it to tell whether work is in flight.
func (s *Service) StatusChangesPending() int {
	q := &s.statusQ
	q.mu.Lock()
	defer q.mu.Unlock()
	n := len(q.items)
	if q.draining {
		n++ // the drainer, and the event it holds
	}
	return n
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
