// Package fnlog keeps each Lambda function's log as CloudWatch Logs shows
// it: the function's own lines framed by START, END and REPORT lines
// (docs/lambda.md §4), bounded per function, and the tail of one
// invocation for Invoke's LogType Tail.
package fnlog

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"sync"
	"time"
)

// Bounds of a Book: the lines kept per function, the length of one line
// and the tail of one invocation (Invoke's X-Amz-Log-Result carries the
// last 4 KB, docs/lambda.md §4).
const (
	MaxLines    = 2000
	MaxLineLen  = 8 << 10
	MaxTailSize = 4 << 10
)

// Book holds the recent log lines of every function.
type Book struct {
	logger *slog.Logger
	mu     sync.Mutex
	logs   map[string]*ring
}

// NewBook returns an empty Book; every line also goes to logger, tagged
// with the function's name.
func NewBook(logger *slog.Logger) *Book {
	if logger == nil {
		logger = slog.Default()
	}
	return &Book{logger: logger, logs: map[string]*ring{}}
}

// Lines returns the kept lines of function fn, oldest first.
func (b *Book) Lines(fn string) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	r := b.logs[fn]
	if r == nil {
		return nil
	}
	return r.lines()
}

// Line appends one line of fn's output outside any invocation (its init
// phase).
func (b *Book) Line(fn, line string) { b.add(fn, line, slog.LevelInfo) }

func (b *Book) add(fn, line string, level slog.Level) string {
	line = strings.TrimRight(line, "\r\n")
	if len(line) > MaxLineLen {
		line = line[:MaxLineLen] + " [truncated]"
	}
	b.mu.Lock()
	r := b.logs[fn]
	if r == nil {
		r = &ring{}
		b.logs[fn] = r
	}
	r.add(line)
	b.mu.Unlock()
	if ctx := context.Background(); b.logger.Enabled(ctx, level) { // else no attribute list to build
		b.logger.Log(ctx, level, line, "function", fn)
	}
	return line
}

// ring is a bounded list of lines.
type ring struct {
	buf  []string
	next int
	full bool
}

func (r *ring) add(s string) {
	if len(r.buf) < MaxLines {
		r.buf = append(r.buf, s)
		return
	}
	r.buf[r.next] = s
	r.next = (r.next + 1) % MaxLines
	r.full = true
}

func (r *ring) lines() []string {
	if !r.full {
		return append([]string(nil), r.buf...)
	}
	return append(append([]string(nil), r.buf[r.next:]...), r.buf[:r.next]...)
}

// Invocation is the log of one invocation, from its START line on.
type Invocation struct {
	book     *Book
	fn, id   string
	level    slog.Level
	start    time.Time
	mu       sync.Mutex
	tail     []byte
	finished bool
}

// Start writes the START line of request id to fn's log. Quiet
// invocations (stepwire's own in-process functions) send their frame lines
// to the emulator's log at debug level only.
func (b *Book) Start(fn, id, version string, quiet bool) *Invocation {
	inv := &Invocation{book: b, fn: fn, id: id, level: slog.LevelInfo, start: time.Now()}
	if quiet {
		inv.level = slog.LevelDebug
	}
	inv.write(fmt.Sprintf("START RequestId: %s Version: %s", id, version), inv.level)
	return inv
}

// Line appends one line of the function's own output.
func (inv *Invocation) Line(line string) { inv.write(line, slog.LevelInfo) }

func (inv *Invocation) write(line string, level slog.Level) {
	line = inv.book.add(inv.fn, line, level)
	inv.mu.Lock()
	defer inv.mu.Unlock()
	inv.tail = append(inv.tail, line...)
	inv.tail = append(inv.tail, '\n')
	if over := len(inv.tail) - MaxTailSize; over > 0 {
		inv.tail = append(inv.tail[:0], inv.tail[over:]...)
	}
}

// Report is what the REPORT line says beyond the duration.
type Report struct {
	MemoryMB int
	// MaxMemoryMB is the environment's peak resident memory; 0 when
	// unknown (in-process functions), then the REPORT line leaves the
	// field out rather than invent a figure.
	MaxMemoryMB int
	// InitDuration is set on an environment's first invocation only.
	InitDuration time.Duration
	// Status is "timeout" or "error" when the environment failed, else "".
	Status string
}

// Finish writes the END and REPORT lines (docs/lambda.md §4) and returns
// the invocation's tail. Later calls return the tail unchanged.
func (inv *Invocation) Finish(r Report) []byte {
	inv.mu.Lock()
	done := inv.finished
	inv.finished = true
	inv.mu.Unlock()
	if !done {
		inv.write("END RequestId: "+inv.id, inv.level)
		inv.write(reportLine(inv.id, time.Since(inv.start), r), inv.level)
	}
	inv.mu.Lock()
	defer inv.mu.Unlock()
	return append([]byte(nil), inv.tail...)
}

// reportLine formats REPORT as Lambda does: tab-separated fields with a
// trailing tab, the duration to two decimals, the billed duration rounded
// up to a whole millisecond, Init Duration last.
func reportLine(id string, d time.Duration, r Report) string {
	ms := float64(d) / float64(time.Millisecond)
	var b strings.Builder
	fmt.Fprintf(&b, "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\t",
		id, ms, int64(math.Ceil(ms)), r.MemoryMB)
	if r.MaxMemoryMB > 0 {
		fmt.Fprintf(&b, "Max Memory Used: %d MB\t", r.MaxMemoryMB)
	}
	if r.InitDuration > 0 {
		fmt.Fprintf(&b, "Init Duration: %.2f ms\t", float64(r.InitDuration)/float64(time.Millisecond))
	}
	if r.Status != "" {
		fmt.Fprintf(&b, "Status: %s\t", r.Status)
	}
	return b.String()
}
