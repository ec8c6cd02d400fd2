package scenarios

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// FileResult is the outcome of one scenario file.
type FileResult struct {
	Path, Name string
	// Pending is set for a scenario that cannot run yet (its reason).
	Pending string
	// Skipped is set for a scenario that does not run on the target (why).
	Skipped  string
	Err      error // nil: passed
	Duration time.Duration
	// Notes are what the run logged beside its outcome (a cleanup that
	// failed on a shared system).
	Notes []string
}

// GoldenPath is where a scenario file's golden transcript lives:
// testdata/<file>.golden beside it.
func GoldenPath(path string) string {
	return filepath.Join(filepath.Dir(path), "testdata", strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))+".golden")
}

// RunFile loads and runs one scenario file on target, outside go test:
// its expectations, then its golden transcript when there is one (update
// rewrites it instead).
func RunFile(path string, target Target, update bool) FileResult {
	start := time.Now()
	res := FileResult{Path: path}
	tb := &runTB{dir: os.TempDir()}
	done := make(chan struct{})
	go func() { // on a goroutine of its own, so that Fatal can end it
		defer close(done)
		var o Outcome
		o, res.Err = PlayFile(tb, path, target, update)
		res.Name, res.Pending, res.Skipped = o.Name, o.Pending, o.Skipped
	}()
	<-done
	tb.finish()
	if res.Err == nil {
		res.Err = tb.err()
	}
	res.Notes = tb.notes()
	res.Duration = time.Since(start)
	return res
}

// Outcome says what became of a scenario file that did not fail: its
// name, and why it did not run, if it did not.
type Outcome struct {
	Name string
	// Pending is why the scenario cannot run yet; Skipped why it does not
	// run on the target.
	Pending, Skipped string
}

// Play runs a scenario file on target and checks it; it returns its name,
// why it is pending or skipped if it is, and what failed.
func Play(tb testing.TB, path string, target Target, update bool) (name, pending string, err error) {
	o, err := PlayFile(tb, path, target, update)
	if o.Skipped != "" {
		return o.Name, o.Skipped, nil
	}
	return o.Name, o.Pending, err
}

// PlayFile runs a scenario file on target and checks it: its
// expectations, and, on the in-process target, its golden transcript (a
// wall-clock target's runs differ in what the transcript holds: names,
// heartbeat counts). A scenario the target does not support is skipped;
// one that lists the target but asks for what it cannot do fails.
func PlayFile(tb testing.TB, path string, target Target, update bool) (Outcome, error) {
	s, err := Load(path)
	if err != nil {
		return Outcome{}, err
	}
	o := Outcome{Name: s.Name}
	if s.Pending != "" {
		o.Pending = s.Pending
		return o, nil
	}
	if o.Skipped = SkipReason(s, target); o.Skipped != "" {
		return o, nil
	}
	if rf, ok := target.(Refuser); ok {
		if err := rf.Refuse(s); err != nil {
			return o, fmt.Errorf("%s:%w", path, err)
		}
	}
	r, err := target.Run(tb, s)
	if err != nil {
		return o, err
	}
	if err := s.Check(r); err != nil {
		return o, err
	}
	if s.Golden != nil && !*s.Golden || target.Name() != TargetInProcess {
		return o, nil
	}
	return o, checkGolden(GoldenPath(path), r.Transcript, update)
}

// checkGolden compares a transcript with its golden file, or rewrites it.
// A scenario without a golden file has nothing to compare.
func checkGolden(path, got string, update bool) error {
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		return os.WriteFile(path, []byte(got), 0o644)
	}
	want, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if string(want) != got {
		return fmt.Errorf("transcript differs from %s (--update rewrites it after a deliberate change):\n%s", path, lineDiff(string(want), got))
	}
	return nil
}

// lineDiff shows the lines that differ, "-" wanted and "+" got, with the
// line numbers, at most 20 of them.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 20; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "  line %d:\n  - %s\n  + %s\n", i+1, clip(wl), clip(gl))
			shown++
		}
	}
	return b.String()
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

// runTB is the testing.TB a scenario runs with outside go test: Fatal
// ends the goroutine, as testing.T's does; cleanups run at finish.
type runTB struct {
	testing.TB // nil: a method not defined here panics
	dir        string

	mu       sync.Mutex
	errs     []string
	logs     []string
	cleanups []func()
}

func (t *runTB) Helper()      {}
func (t *runTB) Name() string { return "scenario" }

func (t *runTB) Logf(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.logs = append(t.logs, fmt.Sprintf(format, args...))
}

func (t *runTB) notes() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string(nil), t.logs...)
}

func (t *runTB) TempDir() string {
	d, err := os.MkdirTemp(t.dir, "stepwire-scenario-")
	if err != nil {
		t.Fatalf("temp dir: %v", err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(d) })
	return d
}

func (t *runTB) Errorf(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.errs = append(t.errs, fmt.Sprintf(format, args...))
}

func (t *runTB) Fatalf(format string, args ...any) {
	t.Errorf(format, args...)
	runtime.Goexit()
}

func (t *runTB) Fatal(args ...any) { t.Fatalf("%s", fmt.Sprint(args...)) }

func (t *runTB) Cleanup(f func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.cleanups = append(t.cleanups, f)
}

func (t *runTB) finish() {
	t.mu.Lock()
	cs := t.cleanups
	t.cleanups = nil
	t.mu.Unlock()
	for i := len(cs) - 1; i >= 0; i-- {
		cs[i]()
	}
}

func (t *runTB) err() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.errs) == 0 {
		return nil
	}
	return errors.New(strings.Join(t.errs, "\n"))
}
