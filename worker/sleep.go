package worker

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/stepwire/stepwire/internal/clock"
	"github.com/stepwire/stepwire/internal/jobwire"
)

// MaxSleepSeconds is the longest sleep job, the ASL maximum of a Task's
// TimeoutSeconds.
const MaxSleepSeconds = 99_999_999

// Sleep is the demo job: input {"seconds": N}, 0 <= N <= MaxSleepSeconds
// (fractions allowed), result {"slept": N}. It sleeps on the worker's clock
// (JobClock), so it takes no time on a fake one, reports its progress as it
// goes (see sleepReporting), and ends early, failing, when its job is
// cancelled or the worker stops.
func Sleep(ctx context.Context, job jobwire.Job) (json.RawMessage, error) {
	var in map[string]json.RawMessage
	if err := json.Unmarshal(job.Input, &in); err != nil || in == nil {
		return nil, invalidInput("input must be a JSON object like {\"seconds\": 5}")
	}
	n, err := number(in, "seconds")
	if err != nil {
		return nil, err
	}
	s, err := n.Float64()
	if err != nil || s < 0 || s > MaxSleepSeconds {
		return nil, invalidInput(fmt.Sprintf("field \"seconds\" must be between 0 and %d, got %s", MaxSleepSeconds, n))
	}
	if err := sleepReporting(ctx, time.Duration(s*float64(time.Second))); err != nil {
		return nil, err
	}
	return json.Marshal(map[string]json.Number{"slept": n})
}

// sleepSteps bounds how many progress reports a sleep makes: one a
// second, but no more than this many in all.
const sleepSteps = 100

// sleepReporting waits d on the job's clock, reporting its progress
// (percent, "slept 3s of 10s") at the start and then every second, or every
// d/sleepSteps for long sleeps. It returns ctx's error if ctx ends first.
func sleepReporting(ctx context.Context, d time.Duration) error {
	clk := JobClock(ctx)
	elapsed := make(chan struct{})
	t := clk.AfterFunc(d, func() { close(elapsed) })
	defer t.Stop()
	if d > 0 {
		p := &sleepProgress{ctx: ctx, clk: clk, start: clk.Now(), d: d, step: max(time.Second, d/sleepSteps)}
		p.report(0)
		defer p.stop()
	}
	select {
	case <-elapsed:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// sleepProgress reports a sleep's progress from timers that arm the next
// one themselves, so that a fake clock moved past several steps at once
// fires every step.
type sleepProgress struct {
	ctx     context.Context
	clk     clock.Clock
	start   time.Time
	d, step time.Duration
	mu      sync.Mutex
	next    clock.Timer
	stopped bool
}

// report reports step i and arms step i+1, if it comes before the end.
func (p *sleepProgress) report(i time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return
	}
	// The next step is armed before this one is reported: once the report
	// is out, whoever watches it may move a fake clock past the next step,
	// and a timer armed after that would wait for the clock's next move.
	if next := (i + 1) * p.step; next < p.d {
		p.next = p.clk.AfterFuncAt(p.start.Add(next), func() { p.report(i + 1) })
	}
	elapsed := i * p.step
	_ = ReportPercent(p.ctx, float64(elapsed)*100/float64(p.d), fmt.Sprintf("slept %v of %v", elapsed, p.d)) // best effort
}

func (p *sleepProgress) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopped = true
	if p.next != nil {
		p.next.Stop()
	}
}

// JobClock returns the clock of the worker running the job whose context a
// Handler received (Config.Clock), or the wall clock outside a job. A
// handler that waits on time should wait on it, so that it runs on virtual
// time under a test's fake clock.
func JobClock(ctx context.Context) clock.Clock {
	if r, ok := ctx.Value(reporterKey{}).(*reporter); ok {
		return r.clock
	}
	return clock.Real{}
}
