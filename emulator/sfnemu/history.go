package sfnemu

import (
	"encoding/json"
	"slices"

	"github.com/stepwire/stepwire/emulator/interp"
)

// historyPage is one page of GetExecutionHistory.
type historyPage struct {
	events []interp.HistoryEvent
	slim   []json.RawMessage // events without data, when asked for
	next   string
}

// wire returns the page's events as they go on the wire.
func (p historyPage) wire() any {
	if p.slim != nil {
		return p.slim
	}
	return p.events
}

// executionHistory is GetExecutionHistory: maxResults events (default
// 100), oldest first unless reverse, continuing after nextToken.
func (s *Service) executionHistory(arn string, maxResults int32, reverse bool, nextToken string, withData bool) (historyPage, error) {
	var v violations
	v.rangeInt("maxResults", int64(maxResults), 0, 1000)
	v.length("nextToken", nextToken, 0, 1024, false)
	if err := v.err(); err != nil {
		return historyPage{}, err
	}
	e, err := s.execution(arn)
	if err != nil {
		return historyPage{}, err
	}
	e.mu.Lock()
	all := e.history[:len(e.history):len(e.history)]
	e.mu.Unlock()
	kind := "h"
	if reverse {
		kind = "hr"
	}
	off, err := decodePage(kind, nextToken, len(all))
	if err != nil {
		return historyPage{}, err
	}
	end := min(off+pageSize(maxResults), len(all))
	page := historyPage{events: pick(all, off, end, reverse)}
	if end < len(all) {
		page.next = encodePage(kind, end)
	}
	if !withData {
		page.slim = make([]json.RawMessage, len(page.events))
		for i, ev := range page.events {
			ev = ev.WithoutData()
			if d, ok := ev.Details.(*startedDetails); ok {
				ev.Details = d.withoutData()
			}
			if page.slim[i], err = json.Marshal(ev); err != nil {
				return historyPage{}, err
			}
		}
	}
	return page, nil
}

// pick copies events [from, to) counted from the start, or from the end
// when reverse.
func pick(all []interp.HistoryEvent, from, to int, reverse bool) []interp.HistoryEvent {
	if !reverse {
		return slices.Clone(all[from:to])
	}
	out := make([]interp.HistoryEvent, 0, to-from)
	for i := len(all) - 1 - from; i > len(all)-1-to; i-- {
		out = append(out, all[i])
	}
	return out
}
