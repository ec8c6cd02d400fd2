package console

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/stepwire/stepwire/emulator/console/aslgraph"
	"github.com/stepwire/stepwire/emulator/interp"
	"github.com/stepwire/stepwire/emulator/sfnemu"
)

// maxEvents bounds the history a page shows (Step Functions keeps at most
// 25,000 events).
const maxEvents = 25000

type eventRow struct {
	ID, Prev int64
	Time     string
	Type     string
	Class    string // ok, fail, or ""
	Details  string // indented JSON, "" when none
	Summary  string
}

type executionView struct {
	Exec      sfnemu.ExecutionDescription
	Machine   string
	Graph     markup
	GraphErr  string
	Events    []eventRow
	Waiting   *waitingTask
	Running   bool
	Output    string
	Rerun     string // the input, for "start again"
	Elapsed   string
	EventsCut bool
}

func (c *Console) executionPage(w http.ResponseWriter, r *http.Request) {
	v, err := c.execution(r.Context(), r.URL.Query().Get("arn"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	c.render(w, r, view{Title: v.Exec.Name, Nav: "machines"}, executionContent(v))
}

func (c *Console) execution(ctx context.Context, arn string) (*executionView, error) {
	d, err := c.cfg.SFN.DescribeExecution(ctx, arn)
	if err != nil {
		return nil, err
	}
	h, err := c.cfg.SFN.GetExecutionHistory(ctx, sfnemu.GetExecutionHistoryInput{ExecutionArn: arn, Page: sfnemu.Page{Size: maxEvents}})
	if err != nil {
		return nil, err
	}
	v := &executionView{Exec: d, Running: d.Status == interp.StatusRunning, Rerun: d.Input, EventsCut: h.Next != 0}
	if d.Output != nil {
		v.Output = *d.Output
	}
	v.Elapsed = elapsed(d, c.cfg.Clock.Now())
	v.Events = eventRows(h.Events)
	if sm, err := c.cfg.SFN.DescribeStateMachineForExecution(ctx, arn); err == nil {
		v.Machine = d.StateMachineArn
		if sc, err := aslgraph.Parse(sm.Definition); err == nil {
			v.Graph = markup(aslgraph.SVG(sc, stateStatuses(h.Events, d.Status))) // escaped by aslgraph
		} else {
			v.GraphErr = err.Error()
		}
	}
	if v.Running {
		v.Waiting = c.waiting(arn, h.Events)
	}
	return v, nil
}

func elapsed(d sfnemu.ExecutionDescription, now time.Time) string {
	end := d.StopDate
	if end.IsZero() {
		end = now
	}
	return end.Sub(d.StartDate).Round(time.Millisecond).String()
}

func eventRows(events []interp.HistoryEvent) []eventRow {
	rows := make([]eventRow, len(events))
	for i, ev := range events {
		row := eventRow{ID: ev.ID, Prev: ev.PreviousEventID, Time: fmtTime(ev.Timestamp), Type: string(ev.Type), Class: eventClass(ev.Type)}
		if ev.Details != nil {
			if b, err := json.MarshalIndent(ev.Details, "", "  "); err == nil {
				row.Details = string(b)
				if len(row.Details) > maxShownJSON {
					row.Details = row.Details[:maxShownJSON] + "\n… (cut)"
				}
			}
			row.Summary = summarize(ev.Details)
		}
		rows[i] = row
	}
	return rows
}

func eventClass(t interp.EventType) string {
	s := string(t)
	switch {
	case strings.HasSuffix(s, "Failed"), strings.HasSuffix(s, "TimedOut"), strings.HasSuffix(s, "Aborted"):
		return "fail"
	case strings.HasSuffix(s, "Succeeded"):
		return "ok"
	}
	return ""
}

// summarize is the one-line gist of an event's details: the state's
// name, or the error.
func summarize(d any) string {
	switch d := d.(type) {
	case *interp.StateEnteredDetails:
		return d.Name
	case *interp.StateExitedDetails:
		return d.Name
	case *interp.ErrorDetails:
		return deref(d.Error)
	case *interp.TaskErrorDetails:
		return deref(d.Error)
	case *interp.TaskScheduledDetails:
		return d.Resource
	}
	return ""
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func validJSON(s string) bool { return json.Valid([]byte(s)) }
