package conformance

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
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
	op   string
	body *jsonv.Object
}

func (d *driver) run(ctx context.Context) error {
	for range maxSteps {
		if err := d.env.svc.WaitIdle(ctx, d.arn); err != nil {
			return err
		}
		if d.closed() {
			return nil
		}
		if d.maybeStop() {
			continue
		}
		if err := d.scheduleCallbacks(); err != nil {
			return err
		}
		if !d.move() {
			return fmt.Errorf("execution stuck: RUNNING with no timer armed and no callback left")
		}
	}
	return fmt.Errorf("execution still RUNNING after %d moves", maxSteps)
}

// closed reports whether the execution reached a terminal status.
func (d *driver) closed() bool {
	out, err := d.env.api.call("DescribeExecution", obj("executionArn", d.arn))
	if err != nil {
		return true
	}
	st, _ := str(out, "status")
	return st != "RUNNING"
}

// move performs the next scripted action or fires the next timer,
// whichever is due first (an action wins a tie).
func (d *driver) move() bool {
	next, hasTimer := d.env.clk.Next()
	if len(d.queue) > 0 && (!hasTimer || !d.queue[0].at.After(next)) {
		a := d.queue[0]
		d.queue = d.queue[1:]
		d.env.clk.Set(a.at)
		_, _ = d.env.api.call(a.op, a.body) // a late callback's error is part of the scenario
		return true
	}
	return d.env.clk.FireNext()
}

// maybeStop calls StopExecution once the history holds the case's
// after_event.
func (d *driver) maybeStop() bool {
	st := d.c.object("stop_execution")
	if st == nil || d.stopped {
		return false
	}
	after, _ := str(st, "after_event")
	events, err := history(d.env.api, d.arn)
	if err != nil || !strings.Contains(","+types(events)+",", ","+after+",") {
		return false
	}
	d.stopped = true
	body := obj("executionArn", d.arn)
	for _, k := range []string{"error", "cause"} {
		if v, ok := st.Get(k); ok {
			body.Set(k, v)
		}
	}
	_, _ = d.env.api.call("StopExecution", body)
	return true
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
	body := obj("taskToken", token)
	repeat := 1
	switch op {
	case "SendTaskHeartbeat":
		if v, ok := a.Get("repeat"); ok {
			if n, ok := v.(jsonv.Number); ok {
				r, _ := n.Int()
				repeat = int(r)
			}
		}
	case "SendTaskSuccess":
		out, _ := a.Get("output")
		body.Set("output", strings.ReplaceAll(jsonv.EncodeString(out), "<token>", token))
	case "SendTaskFailure":
		for _, k := range []string{"error", "cause"} {
			if v, ok := a.Get(k); ok {
				body.Set(k, v)
			}
		}
	}
	for range repeat {
		d.seq++
		d.queue = append(d.queue, action{at: when, seq: d.seq, op: op, body: body})
	}
	return when
}

// history returns every event of an execution, page by page.
func history(api client, arn string) ([]any, error) {
	var events []any
	body := obj("executionArn", arn, "maxResults", jsonv.IntNumber(1000))
	for {
		out, err := api.mustCall("GetExecutionHistory", body)
		if err != nil {
			return nil, err
		}
		evs, _ := out.Get("events")
		list, _ := evs.([]any)
		events = append(events, list...)
		next, ok := str(out, "nextToken")
		if !ok || next == "" {
			return events, nil
		}
		body.Set("nextToken", next)
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
