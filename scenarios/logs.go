package scenarios

import (
	"context"
	"log/slog"
	"sync"

	"github.com/stepwire/stepwire/internal/hop"
)

// maxRecords bounds the log records a scenario keeps; later ones are
// counted but dropped.
const maxRecords = 20_000

// logRecord is one log record of a worker or of the emulator.
type logRecord struct {
	Source string // the worker's name, or "emulator"
	Event  string // the message, or the hop's name for hop records
	Attrs  map[string]string
}

// logBook records log records from every source of a scenario.
type logBook struct {
	mu      sync.Mutex
	records []logRecord
	dropped int
}

func (b *logBook) add(r logRecord) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.records) >= maxRecords {
		b.dropped++
		return
	}
	b.records = append(b.records, r)
}

// count is how many records arrived, kept or not.
func (b *logBook) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.records) + b.dropped
}

func (b *logBook) snapshot() []logRecord {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]logRecord(nil), b.records...)
}

// logger returns a logger whose records go to the book under source.
func (b *logBook) logger(source string) *slog.Logger {
	return slog.New(&bookHandler{book: b, source: source})
}

// bookHandler is a slog.Handler that writes to a logBook.
type bookHandler struct {
	book   *logBook
	source string
	attrs  []slog.Attr
}

func (h *bookHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *bookHandler) WithGroup(string) slog.Handler            { return h }

func (h *bookHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &bookHandler{book: h.book, source: h.source, attrs: append(append([]slog.Attr(nil), h.attrs...), as...)}
}

func (h *bookHandler) Handle(_ context.Context, r slog.Record) error {
	rec := logRecord{Source: h.source, Event: r.Message, Attrs: map[string]string{}}
	add := func(a slog.Attr) bool {
		rec.Attrs[a.Key] = a.Value.Resolve().String()
		return true
	}
	for _, a := range h.attrs {
		add(a)
	}
	r.Attrs(add)
	if r.Message == hop.Message {
		rec.Event = rec.Attrs[hop.Key]
	}
	h.book.add(rec)
	return nil
}
