package events

import (
	"bytes"
	"context"
	"encoding/json"
	"time"
)

// maxRequestSize is the most a PutEvents request's entries may weigh
// (docs/eventbridge.md §3.1).
const maxRequestSize = 256 * 1024

// Entry is one PutEvents request entry. Nil members were absent.
type Entry struct {
	Source, DetailType, Detail *string
	Resources                  []string
	Time                       *time.Time
	// EventBusName is a bus name or ARN; "" is the default bus.
	EventBusName string
}

// EntryResult is the outcome of one entry: an EventID, or an ErrorCode
// and ErrorMessage.
type EntryResult struct {
	EventID, ErrorCode, ErrorMessage string
}

// PutEventsOutput is PutEvents' answer, one result per entry, in order.
type PutEventsOutput struct {
	FailedEntryCount int
	Entries          []EntryResult
}

// Event is an event another service publishes on the default bus, e.g. a
// Step Functions execution status change (docs/eventbridge.md §1).
type Event struct {
	Source, DetailType string
	// Detail is a JSON object.
	Detail    json.RawMessage
	Resources []string
	// Time is the event's time; the service's clock when zero.
	Time time.Time
}

// PutEvents puts entries on the event bus. Each valid entry on the default
// bus is delivered to the targets of the enabled rules it matches; an
// entry for another bus gets an id and is dropped (docs/eventbridge.md
// §3.1). The count limit is the wire layer's (a model constraint).
func (s *Service) PutEvents(_ context.Context, entries []Entry) (PutEventsOutput, error) {
	if requestSize(entries) > maxRequestSize {
		return PutEventsOutput{}, fail(ErrValidation, "Total size of the entries in the request is over the limit.")
	}
	out := PutEventsOutput{Entries: make([]EntryResult, len(entries))}
	for i, e := range entries {
		res := s.putEntry(e)
		if res.ErrorCode != "" {
			out.FailedEntryCount++
		}
		out.Entries[i] = res
	}
	return out, nil
}

// putEntry checks one entry as AWS does and emits it.
func (s *Service) putEntry(e Entry) EntryResult {
	for _, f := range []struct {
		name string
		v    *string
	}{{"Source", e.Source}, {"DetailType", e.DetailType}, {"Detail", e.Detail}} {
		if f.v == nil || *f.v == "" {
			return EntryResult{ErrorCode: "InvalidArgument",
				ErrorMessage: "Parameter " + f.name + " is not valid. Reason: " + f.name + " is a required argument."}
		}
	}
	detail, ok := jsonObject([]byte(*e.Detail))
	if !ok {
		return EntryResult{ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed."}
	}
	ev := Event{Source: *e.Source, DetailType: *e.DetailType, Detail: detail, Resources: e.Resources}
	if e.Time != nil {
		ev.Time = *e.Time
	}
	id := s.cfg.NewID()
	if s.isDefaultBus(e.EventBusName) {
		s.emit(id, ev)
	}
	return EntryResult{EventID: id}
}

// Publish puts one event on the default bus for another service and
// returns its id. It keeps e.Detail: the caller must not change it.
func (s *Service) Publish(_ context.Context, e Event) (string, error) {
	detail, ok := jsonObject(e.Detail)
	if !ok {
		return "", fail(ErrValidation, "Detail is malformed.")
	}
	e.Detail = detail
	id := s.cfg.NewID()
	s.emit(id, e)
	return id, nil
}

// requestSize weighs entries as EventBridge does: 14 bytes for a Time,
// plus the UTF-8 bytes of Source, DetailType, Detail and each resource
// (docs/eventbridge.md §3.1).
func requestSize(entries []Entry) int {
	n := 0
	for _, e := range entries {
		if e.Time != nil {
			n += 14
		}
		n += len(deref(e.Source)) + len(deref(e.DetailType)) + len(deref(e.Detail))
		for _, r := range e.Resources {
			n += len(r)
		}
	}
	return n
}

// jsonObject returns doc when it is one JSON object. It is not compacted
// here: render's encoding compacts it into the envelope, and matching
// reads it with its spaces; most events match no rule and are never
// rendered.
func jsonObject(doc []byte) (json.RawMessage, bool) {
	trimmed := bytes.TrimLeft(doc, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' || !json.Valid(doc) {
		return nil, false
	}
	return doc, true
}
