package eventsapi

import (
	"context"
	"math"
	"time"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/events"
)

// maxEntries is PutEvents' entry limit (docs/eventbridge.md §3.1).
const maxEntries = 10

func (r *putEventsRequest) validate() *awsapi.Error {
	var v violations
	if r.Entries == nil {
		v.required("entries")
	} else {
		v.count("entries", "PutEventsRequestEntry", len(r.Entries), 1, maxEntries)
	}
	return v.err()
}

func putEvents(s *events.Service, ctx context.Context, r *putEventsRequest) (any, error) {
	entries := make([]events.Entry, len(r.Entries))
	for i, e := range r.Entries {
		entries[i] = events.Entry{Source: e.Source, DetailType: e.DetailType, Detail: e.Detail,
			Resources: e.Resources, Time: epoch(e.Time), EventBusName: deref(e.EventBusName)}
	}
	out, err := s.PutEvents(ctx, entries)
	if err != nil {
		return nil, err
	}
	resp := putEventsResponse{FailedEntryCount: out.FailedEntryCount, Entries: make([]putEventsResultEntry, len(out.Entries))}
	for i, e := range out.Entries {
		resp.Entries[i] = putEventsResultEntry{EventID: e.EventID, ErrorCode: e.ErrorCode, ErrorMessage: e.ErrorMessage}
	}
	return resp, nil
}

// epoch converts an awsJson timestamp (epoch seconds, fraction allowed).
func epoch(sec *float64) *time.Time {
	if sec == nil {
		return nil
	}
	whole, frac := math.Modf(*sec)
	t := time.Unix(int64(whole), int64(frac*1e9)).UTC()
	return &t
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
