package console

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/stepwire/stepwire/emulator/interp"
	"github.com/stepwire/stepwire/internal/jobwire"
)

// waitingTask is a task waiting on a token: since when, its clocks, and
// the job's latest progress report.
type waitingTask struct {
	State     string
	Resource  string
	Since     time.Time
	SinceAgo  string
	TaskRef   string
	Heartbeat int64 // HeartbeatSeconds, 0 without
	// HeartbeatDeadline is when the task times out without a heartbeat;
	// HeartbeatLeft the time left, counted down in the page.
	HeartbeatDeadline time.Time
	HeartbeatLeft     string
	HeartbeatLeftMs   int64
	TimeoutDeadline   time.Time
	Progress          *progressView
}

type progressView struct {
	Topic    string
	Percent  *float64
	Message  string
	Raw      string
	Modified time.Time
}

// maxRetainedScan bounds the retained topics looked at for progress.
const maxRetainedScan = 2000

// waiting finds the tasks of an execution that wait on a token (scheduled
// with .waitForTaskToken, not ended) and adds their clocks and progress.
func (c *Console) waiting(arn string, events []interp.HistoryEvent) *waitingTask {
	open := map[string]*waitingTask{}
	owner := make(map[int64]string, len(events))
	var last string
	for _, ev := range events {
		name := owner[ev.PreviousEventID]
		switch d := ev.Details.(type) {
		case *interp.StateEnteredDetails:
			name = d.Name
		case *interp.TaskScheduledDetails:
			if strings.HasSuffix(d.Resource, ".waitForTaskToken") {
				w := &waitingTask{State: name, Resource: d.Resource, Since: ev.Timestamp, TaskRef: tokenRef(d.Parameters)}
				if d.HeartbeatInSeconds != nil {
					w.Heartbeat = *d.HeartbeatInSeconds
				}
				open[name], last = w, name
			}
		}
		if ev.Type == interp.EventTaskSubmitted && open[name] != nil {
			open[name].Since = ev.Timestamp
		}
		if ev.Type == interp.EventTaskSucceeded || ev.Type == interp.EventTaskFailed || ev.Type == interp.EventTaskTimedOut ||
			strings.HasSuffix(string(ev.Type), "StateExited") {
			delete(open, name)
		}
		owner[ev.ID] = name
	}
	w := open[last]
	if w == nil {
		return nil
	}
	now := c.cfg.Clock.Now()
	w.SinceAgo = now.Sub(w.Since).Round(time.Second).String()
	c.addDeadlines(arn, w, now)
	w.Progress = c.progress(arn, w.TaskRef)
	return w
}

func (c *Console) addDeadlines(arn string, w *waitingTask, now time.Time) {
	ds, err := c.cfg.SFN.Deadlines(arn)
	if err != nil {
		return
	}
	for _, d := range ds {
		switch d.Kind {
		case "heartbeat":
			if w.HeartbeatDeadline.IsZero() {
				w.HeartbeatDeadline = d.At
				left := max(0, d.At.Sub(now))
				w.HeartbeatLeft, w.HeartbeatLeftMs = left.Round(time.Second).String(), left.Milliseconds()
			}
		case "task-timeout":
			if w.TimeoutDeadline.IsZero() {
				w.TimeoutDeadline = d.At
			}
		}
	}
}

// tokenRef finds the task token in a task's parameters (a 700-character
// string under a key that names a token) and returns its TaskRef.
func tokenRef(params string) string {
	var v any
	if json.Unmarshal([]byte(params), &v) != nil {
		return ""
	}
	return findToken(v, 0)
}

func findToken(v any, depth int) string {
	if depth > 8 {
		return ""
	}
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if s, ok := x.(string); ok && strings.Contains(strings.ToLower(k), "token") && len(s) >= 100 {
				return jobwire.TaskRef(s)
			}
			if r := findToken(x, depth+1); r != "" {
				return r
			}
		}
	case []any:
		for _, x := range v {
			if r := findToken(x, depth+1); r != "" {
				return r
			}
		}
	}
	return ""
}

// progress reads the job's latest progress report, retained on
// <results topic>/progress/<execution name>/<task ref>
// (jobwire.ProgressTopic) whatever the results topic is.
func (c *Console) progress(arn, ref string) *progressView {
	if ref == "" || c.cfg.IoT == nil {
		return nil
	}
	suffix := "/" + strings.TrimPrefix(jobwire.ProgressPrefix("", arn), "/") + ref
	token := ""
	for scanned := 0; scanned < maxRetainedScan; {
		msgs, next, err := c.cfg.IoT.ListRetainedMessages(token, 200)
		if err != nil {
			return nil
		}
		for _, m := range msgs {
			if strings.HasSuffix(m.Topic, suffix) {
				return c.readProgress(m.Topic)
			}
		}
		scanned += len(msgs)
		if token = next; token == "" {
			return nil
		}
	}
	return nil
}

func (c *Console) readProgress(topic string) *progressView {
	m, err := c.cfg.IoT.GetRetainedMessage(topic)
	if err != nil {
		return nil
	}
	p := &progressView{Topic: topic, Modified: time.UnixMilli(m.LastModified)}
	var r jobwire.Result
	if json.Unmarshal(m.Payload, &r) != nil {
		return p
	}
	p.Raw = string(r.Progress)
	if rep, ok := jobwire.ReadProgressReport(r.Progress); ok {
		p.Percent, p.Message = rep.Percent, rep.Message
	}
	return p
}
