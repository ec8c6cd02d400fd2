// Package hoplog is a compact slog handler for terminals. Hop records — one
// step of a job's path through stepwire (dispatch, publish, worker, result,
// rule, completion, callback), logged with message hop.Message and the hop
// named by attribute hop.Key (see internal/hop) — print as one aligned line
// with a microsecond timestamp; other records print in logfmt style.
package hoplog

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"

	"github.com/stepwire/stepwire/internal/hop"
)

// Handler implements slog.Handler.
type Handler struct {
	mu      *sync.Mutex
	w       io.Writer
	verbose bool
	attrs   []slog.Attr
}

// New returns a handler writing to w. Unless verbose, records below Info
// are dropped.
func New(w io.Writer, verbose bool) *Handler {
	return &Handler{mu: &sync.Mutex{}, w: w, verbose: verbose}
}

// Enabled implements slog.Handler.
func (h *Handler) Enabled(_ context.Context, l slog.Level) bool {
	return h.verbose || l >= slog.LevelInfo
}

// Handle implements slog.Handler.
func (h *Handler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Time.Format("15:04:05.000000"))
	attrs := append([]slog.Attr(nil), h.attrs...)
	r.Attrs(func(a slog.Attr) bool { attrs = append(attrs, a); return true })
	if r.Message == hop.Message {
		name := ""
		for i, a := range attrs {
			if a.Key == hop.Key {
				name = a.Value.String()
				attrs = append(attrs[:i], attrs[i+1:]...)
				break
			}
		}
		fmt.Fprintf(&b, "  hop  %-18s", name)
	} else {
		fmt.Fprintf(&b, "  %-4s %s", levelName(r.Level), r.Message)
	}
	for _, a := range attrs {
		writeAttr(&b, "", a)
	}
	b.WriteByte('\n')
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := io.WriteString(h.w, b.String())
	return err
}

func levelName(l slog.Level) string {
	switch {
	case l >= slog.LevelError:
		return "ERR"
	case l >= slog.LevelWarn:
		return "WARN"
	case l >= slog.LevelInfo:
		return "INFO"
	}
	return "DBG"
}

func writeAttr(b *strings.Builder, prefix string, a slog.Attr) {
	v := a.Value.Resolve()
	if v.Kind() == slog.KindGroup {
		for _, g := range v.Group() {
			writeAttr(b, prefix+a.Key+".", g)
		}
		return
	}
	s := v.String()
	if strings.ContainsAny(s, " \t\"=") {
		s = fmt.Sprintf("%q", s)
	}
	fmt.Fprintf(b, " %s%s=%s", prefix, a.Key, s)
}

// WithAttrs implements slog.Handler.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *h
	c.attrs = append(append([]slog.Attr(nil), h.attrs...), attrs...)
	return &c
}

// WithGroup implements slog.Handler. Groups are flattened into key prefixes
// of later attributes only through WithAttrs; a bare group name is ignored.
func (h *Handler) WithGroup(string) slog.Handler { return h }
