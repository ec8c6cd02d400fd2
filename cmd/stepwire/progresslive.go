package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

// startProgress shows the progress of executionArn's tasks on stderr until
// the returned function is called: the retained reports, then each change
// as it is published (subscribeSource). It never fails the run.
func startProgress(ctx context.Context, f progressFlags, executionArn string) (stop func()) {
	api, sub, err := f.target(ctx)
	if err != nil {
		fmt.Fprintf(os.Stderr, "progress unavailable: %v\n", err)
		return func() {}
	}
	src := newSubscribeSource(newRetainedSource(api, f.results, executionArn), sub)
	return showProgress(ctx, src, os.Stderr, isTerminal(os.Stderr))
}

// showProgress renders src's updates on w until the returned function is
// called. On a terminal it redraws one line with \r and erases it at the
// end; otherwise it writes a plain line each time a task's progress text
// changes. Without progress it writes nothing.
func showProgress(ctx context.Context, src progressSource, w io.Writer, tty bool) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	r := &progressRenderer{w: w, tty: tty, printed: map[string]string{}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := src.Watch(ctx, r.update); err != nil {
			r.fail(err)
		}
	}()
	return func() {
		cancel()
		<-done
		r.finish()
	}
}

// progressRenderer draws progress updates.
type progressRenderer struct {
	w   io.Writer
	tty bool

	mu      sync.Mutex
	drawn   bool              // a terminal line is drawn
	printed map[string]string // plain mode: the last text printed per task
}

func (r *progressRenderer) update(ps []taskProgress) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.tty {
		r.redraw(ps)
		return
	}
	now := time.Now().Format("15:04:05.000")
	present := map[string]bool{}
	for _, p := range ps {
		present[p.Topic] = true
		if text := progressText(p); r.printed[p.Topic] != text {
			r.printed[p.Topic] = text
			fmt.Fprintf(r.w, "%s  progress %s  %s\n", now, p.TaskRef, text)
		}
	}
	for _, topic := range sortedTopics(r.printed) {
		if !present[topic] { // the worker cleared the report: the job ended
			delete(r.printed, topic)
			fmt.Fprintf(r.w, "%s  progress %s  ended\n", now, topic[strings.LastIndexByte(topic, '/')+1:])
		}
	}
}

func sortedTopics(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// redraw draws the most recently updated report on the terminal line.
func (r *progressRenderer) redraw(ps []taskProgress) {
	if len(ps) == 0 {
		r.erase()
		return
	}
	latest := ps[0]
	for _, p := range ps[1:] {
		if p.Updated.After(latest.Updated) {
			latest = p
		}
	}
	line := "progress " + progressText(latest)
	if len(ps) > 1 {
		line = fmt.Sprintf("progress (%d tasks) %s", len(ps), progressText(latest))
	}
	fmt.Fprint(r.w, "\r"+clip(line, 120)+"\x1b[K")
	r.drawn = true
}

func (r *progressRenderer) erase() {
	if r.drawn {
		fmt.Fprint(r.w, "\r\x1b[K")
		r.drawn = false
	}
}

func (r *progressRenderer) fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.erase()
	fmt.Fprintf(r.w, "progress unavailable: %v\n", err)
}

func (r *progressRenderer) finish() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.erase()
}

// isTerminal reports whether f is a character device, as a terminal is.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
