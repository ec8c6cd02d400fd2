package worker

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/stepwire/stepwire/internal/clock"
	"github.com/stepwire/stepwire/internal/jobwire"
)

// MaxSleepSeconds is the longest sleep job, the ASL maximum of a Task's
// TimeoutSeconds.
const MaxSleepSeconds = 99_999_999

// Sleep is the demo job: input {"seconds": N}, 0 <= N <= MaxSleepSeconds
// (fractions allowed), result {"slept": N}. It sleeps on the worker's clock
// (JobClock), so it takes no time on a fake one, and ends early, failing,
// when its job is cancelled or the worker stops.
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
	elapsed := make(chan struct{})
	t := JobClock(ctx).AfterFunc(time.Duration(s*float64(time.Second)), func() { close(elapsed) })
	defer t.Stop()
	select {
	case <-elapsed:
		return json.Marshal(map[string]json.Number{"slept": n})
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// JobClock returns the clock of the worker running the job whose context a
// Handler received (Config.Clock), or the wall clock outside a job. A
// handler that waits on time should wait on it, so that it runs on virtual
// time under a test's fake clock.
func JobClock(ctx context.Context) clock.Clock {
	if r, ok := ctx.Value(reporterKey{}).(*reporter); ok {
		return r.w.cfg.Clock
	}
	return clock.Real{}
}
