package conformance

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"encoding/json"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
	"github.com/stepwire/stepwire/emulator/interp"
	"github.com/stepwire/stepwire/emulator/sfnemu"
)

// maxSteps bounds the moves of one execution (timers and callbacks).
const maxSteps = 20000

// driver moves one execution started with a test case: whenever it is
// idle it acts as the case's worker (scripted callbacks on the tokens the
// mocked states delivered), stops it when the case says so, and moves
// the virtual clock to the next timer.
type driver struct {
	env     *env
	c       *Case
	arn     string
	tokens  int // MockTokens already scheduled
	queue   []action
	seq     int
	stopped bool
}

// action is a scripted SendTask* call due at a virtual time.
type action struct {
	at   time.Time
	seq  int
	call func(ctx context.Context, svc *sfnemu.Service) error
}

func (d *driver) run(ctx context.Context) error {
	for range maxSteps {
		if err := d.env.svc.WaitIdle(ctx, d.arn); err != nil {
			return err
		}
		if d.closed(ctx) {
			return nil
		}
		if d.maybeStop(ctx) {
			continue
		}
		if err := d.scheduleCallbacks(); err != nil {
			return err
		}
		if !d.move(ctx) {
			return fmt.Errorf("execution stuck: RUNNING with no timer armed and no callback left")
		}
	}
	return fmt.Errorf("execution still RUNNING after %d moves", maxSteps)
}

// closed reports whether the execution reached a terminal status.
func (d *driver) closed(ctx context.Context) bool {
	out, err := d.env.svc.DescribeExecution(ctx, d.arn)
	return err != nil || out.Status != interp.StatusRunning
}

// move performs the next scripted action or fires the next timer,
// whichever is due first (an action wins a tie).
func (d *driver) move(ctx context.Context) bool {
	next, hasTimer := d.env.clk.Next()
	if len(d.queue) > 0 && (!hasTimer || !d.queue[0].at.After(next)) {
		a := d.queue[0]
		d.queue = d.queue[1:]
		d.env.clk.Set(a.at)
		_ = a.call(ctx, d.env.svc) // a late callback's error is part of the scenario
		return true
	}
	return d.env.clk.FireNext()
}

// maybeStop calls StopExecution once the history holds the case's
// after_event.
func (d *driver) maybeStop(ctx context.Context) bool {
	st := d.c.object("stop_execution")
	if st == nil || d.stopped {
		return false
	}
	after, _ := str(st, "after_event")
	events, err := history(ctx, d.env.svc, d.arn)
	if err != nil || !strings.Contains(","+types(events)+",", ","+after+",") {
		return false
	}
	d.stopped = true
	errStr, ok1 := optString(st, "error")
	cause, ok2 := optString(st, "cause")
	if ok1 && ok2 { // AWS refuses a request with a non-string member
		_, _ = d.env.svc.StopExecution(ctx, sfnemu.StopExecutionInput{ExecutionArn: d.arn, Error: errStr, Cause: cause})
	}
	return true
}

// optString is a member of o as an optional string (nil when absent or
// null); ok is false when it is some other JSON value.
func optString(o *jsonv.Object, key string) (s *string, ok bool) {
	v, present := o.Get(key)
	if !present || v == nil {
		return nil, true
	}
	str, ok := v.(string)
	return &str, ok
}

// scheduleCallbacks queues the case's worker actions for each token
// delivered since the last look.
func (d *driver) scheduleCallbacks() error {
	toks, err := d.env.svc.MockTokens(d.arn)
	if err != nil {
		return err
	}
	for _, t := range toks[d.tokens:] {
		for _, cb := range d.callbacksFor(t.State, t.Attempt) {
			acts, _ := cb.Get("actions")
			list, _ := acts.([]any)
			when := t.At
			for _, a := range list {
				when = d.queueAction(t.Token, asObject(a), when)
			}
		}
	}
	d.tokens = len(toks)
	sort.SliceStable(d.queue, func(i, j int) bool {
		if !d.queue[i].at.Equal(d.queue[j].at) {
			return d.queue[i].at.Before(d.queue[j].at)
		}
		return d.queue[i].seq < d.queue[j].seq
	})
	return nil
}

func (d *driver) callbacksFor(state string, attempt int) []*jsonv.Object {
	v, _ := d.c.get("callbacks")
	list, _ := v.([]any)
	var out []*jsonv.Object
	for _, cb := range list {
		co := asObject(cb)
		st, _ := str(co, "state")
		at, _ := co.Get("attempt")
		if n, ok := at.(jsonv.Number); ok && st == state && string(n) == strconv.Itoa(attempt) {
			out = append(out, co)
		}
	}
	return out
}

// queueAction queues one scripted action and returns its time, from
// which the next action's delay counts.
func (d *driver) queueAction(token string, a *jsonv.Object, when time.Time) time.Time {
	if v, ok := a.Get("delay_seconds"); ok {
		if n, ok := v.(jsonv.Number); ok {
			when = when.Add(time.Duration(n.Float() * float64(time.Second)))
		}
	}
	op, _ := str(a, "action")
	var call func(ctx context.Context, svc *sfnemu.Service) error
	repeat := 1
	switch op {
	case "SendTaskHeartbeat":
		if v, ok := a.Get("repeat"); ok {
			if n, ok := v.(jsonv.Number); ok {
				r, _ := n.Int()
				repeat = int(r)
			}
		}
		call = func(ctx context.Context, svc *sfnemu.Service) error {
			return svc.SendTaskHeartbeat(ctx, sfnemu.SendTaskHeartbeatInput{TaskToken: token})
		}
	case "SendTaskSuccess":
		out, _ := a.Get("output")
		in := sfnemu.SendTaskSuccessInput{TaskToken: token,
			Output: strings.ReplaceAll(jsonv.EncodeString(out), "<token>", token)}
		call = func(ctx context.Context, svc *sfnemu.Service) error { return svc.SendTaskSuccess(ctx, in) }
	case "SendTaskFailure":
		errStr, ok1 := optString(a, "error")
		cause, ok2 := optString(a, "cause")
		in := sfnemu.SendTaskFailureInput{TaskToken: token, Error: errStr, Cause: cause}
		call = func(ctx context.Context, svc *sfnemu.Service) error {
			if !ok1 || !ok2 {
				return fmt.Errorf("SendTaskFailure: error and cause must be strings")
			}
			return svc.SendTaskFailure(ctx, in)
		}
	default:
		call = func(context.Context, *sfnemu.Service) error { return fmt.Errorf("unknown action %q", op) }
	}
	for range repeat {
		d.seq++
		d.queue = append(d.queue, action{at: when, seq: d.seq, call: call})
	}
	return when
}

// history returns every event of an execution in its wire shape, page by
// page.
func history(ctx context.Context, svc *sfnemu.Service, arn string) ([]any, error) {
	var events []any
	in := sfnemu.GetExecutionHistoryInput{ExecutionArn: arn, Page: sfnemu.Page{Size: 1000}}
	for {
		h, err := svc.GetExecutionHistory(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("GetExecutionHistory: %w", err)
		}
		raw, err := json.Marshal(h.Events)
		if err != nil {
			return nil, fmt.Errorf("GetExecutionHistory: %w", err)
		}
		v, err := jsonv.Decode(raw)
		if err != nil {
			return nil, fmt.Errorf("GetExecutionHistory: %w", err)
		}
		list, _ := v.([]any)
		events = append(events, list...)
		if h.Next == 0 {
			return events, nil
		}
		in.Page.Start = h.Next
	}
}

// types lists the events' types, comma-separated.
func types(evs []any) string {
	var s []string
	for _, e := range evs {
		t, _ := str(asObject(e), "type")
		s = append(s, t)
	}
	return strings.Join(s, ",")
}
