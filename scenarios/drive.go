package scenarios

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// quietPolls is how many polls in a row must find nothing in flight, and
// nothing changed, before virtual time may jump: a worker timer that has
// just fired (a heartbeat) needs a moment to become a counted publish.
const quietPolls = 3

// pollInterval is the wall-clock pause between two polls of the system.
const pollInterval = time.Millisecond

// errLimit says that drive reached its virtual time limit.
var errLimit = fmt.Errorf("time limit reached")

// drive lets the system run until done reports true. On virtual time it
// jumps the clock to the next timer whenever nothing is in flight, but
// never past limit (zero: no limit): at limit it returns errLimit. On wall
// time it polls. Either way, idleLimit of wall time without any progress
// fails the run with a dump of what is open.
func (r *runner) drive(ctx context.Context, done func() (bool, error), limit time.Time) error {
	if r.fake == nil {
		return r.driveWall(ctx, done, limit)
	}
	lastChange, quiet := time.Now(), 0
	var calm counters // the counters of the last full poll that found nothing in flight
	var calmAt time.Time
	for {
		if ok, err := done(); err != nil || ok {
			return err
		}
		if r.ip.onPoll != nil {
			r.ip.onPoll(r.p)
		}
		var waiting string
		var c counters
		var histories [][]types.HistoryEvent
		if quiet > 0 {
			// A cheap poll: nothing moved since the full one if neither the
			// counters nor the clock did.
			if c = r.p.read(); c == calm && r.clk.Now().Equal(calmAt) {
				quiet++
			} else {
				quiet, waiting, lastChange = 0, "work in flight", time.Now()
			}
		} else {
			var err error
			if c, histories, waiting, err = r.poll(ctx); err != nil {
				return err
			}
			if waiting == "" {
				quiet, calm, calmAt = 1, c, r.clk.Now()
			} else if c != calm {
				calm, lastChange = c, time.Now()
			}
		}
		if quiet >= quietPolls && r.fake != nil {
			next, ok := r.fake.Next()
			switch {
			case ok && (limit.IsZero() || !next.After(limit)):
				r.fake.AdvanceToNext()
				quiet, lastChange = 0, time.Now()
				continue
			case !limit.IsZero():
				r.fake.Set(limit)
				return errLimit
			}
			waiting = "a timer, and none is armed"
		}
		if time.Since(lastChange) > r.idle {
			if histories == nil {
				_, histories, _, _ = r.poll(ctx)
			}
			return fmt.Errorf("stuck: nothing moved for %v of wall time, waiting for %s\n%s", r.idle, waiting, r.dump(ctx, c, histories))
		}
		time.Sleep(pollInterval)
	}
}

// driveWall is drive on wall time: it looks at the system every
// world.poll until done holds, limit passes (errLimit) or, for idleLimit,
// nothing it can see moves: its workers' counters, the running
// executions' histories, the MQTT messages and log records seen.
func (r *runner) driveWall(ctx context.Context, done func() (bool, error), limit time.Time) error {
	lastChange := time.Now()
	var last wallMark
	for {
		if ok, err := done(); err != nil || ok {
			return err
		}
		c, histories, waiting, err := r.poll(ctx)
		if err != nil {
			return err
		}
		if m := r.mark(c, histories); m != last {
			last, lastChange = m, time.Now()
		}
		if !limit.IsZero() && time.Now().After(limit) {
			return errLimit
		}
		if time.Since(lastChange) > r.idle {
			if waiting == "" {
				waiting = "a timer of the service, or something this runner cannot see"
			}
			return fmt.Errorf("stuck: nothing moved for %v of wall time, waiting for %s\n%s", r.idle, waiting, r.dump(ctx, c, histories))
		}
		select {
		case <-time.After(r.w.poll):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// wallMark is what moves, as a run on wall time sees it.
type wallMark struct {
	c                      counters
	events, messages, logs int
}

func (r *runner) mark(c counters, histories [][]types.HistoryEvent) wallMark {
	m := wallMark{c: c, messages: len(r.observer.messages()), logs: r.book.count()}
	for _, h := range histories {
		m.events += len(h)
	}
	for _, cl := range r.clients {
		m.messages += len(cl.messages())
	}
	return m
}

// poll reads the counters, the running executions' histories, and the
// counters again, and says what is in flight ("" for nothing). The
// counters must not change while the histories are read, so that both
// describe one moment.
func (r *runner) poll(ctx context.Context) (counters, [][]types.HistoryEvent, string, error) {
	before := r.p.read()
	arns, err := r.running(ctx)
	if err != nil {
		return before, nil, "", err
	}
	histories := make([][]types.HistoryEvent, 0, len(arns))
	for _, arn := range arns {
		h, err := history(ctx, r.sfn, arn)
		if err != nil {
			return before, nil, "", err
		}
		histories = append(histories, h)
	}
	after := r.p.read()
	if before != after {
		return after, histories, "work in flight", nil
	}
	return after, histories, r.p.pending(after, histories), nil
}

// settle lets everything in flight and due now finish, without moving
// virtual time.
func (r *runner) settle(ctx context.Context) error {
	if r.fake == nil {
		return nil
	}
	err := r.drive(ctx, func() (bool, error) { return false, nil }, r.clk.Now())
	if err == errLimit {
		return nil
	}
	return err
}

// advance lets d of virtual time pass, everything due in it happening.
func (r *runner) advance(ctx context.Context, d time.Duration) error {
	if r.fake == nil {
		return fmt.Errorf("advance needs virtual time")
	}
	err := r.drive(ctx, func() (bool, error) { return false, nil }, r.clk.Now().Add(d))
	if err == errLimit {
		return r.settle(ctx)
	}
	return err
}

// dump describes what is open: tasks waiting for a token, timers, workers
// and their MQTT sessions, the probe's counters.
func (r *runner) dump(ctx context.Context, c counters, histories [][]types.HistoryEvent) string {
	var b strings.Builder
	fmt.Fprintf(&b, "  virtual time: +%v\n", r.since())
	for i, h := range histories {
		if open := openTokens(h); len(open) > 0 {
			fmt.Fprintf(&b, "  open task tokens of running execution %d: %s\n", i+1, strings.Join(open, ", "))
		}
	}
	if r.fake != nil {
		if next, ok := r.fake.Next(); ok {
			fmt.Fprintf(&b, "  timers: %d armed, next at +%v\n", r.fake.Pending(), next.Sub(r.t0))
		} else {
			b.WriteString("  timers: none armed\n")
		}
	}
	for _, lw := range r.workers {
		lw.mu.Lock()
		up, cut := lw.w != nil, lw.link != nil && lw.link.IsCut()
		lw.mu.Unlock()
		if lw.spec.Activity != "" {
			fmt.Fprintf(&b, "  worker %s (polling activity %s): running=%v linkCut=%v jobsTaken=%d\n",
				lw.spec.Name, lw.r.activities[lw.spec.Activity], up, cut, lw.taken.Load())
			continue
		}
		fmt.Fprintf(&b, "  worker %s (MQTT client %s on %s): running=%v connected=%v linkCut=%v jobsTaken=%d\n",
			lw.spec.Name, lw.spec.Thing, lw.spec.Subscribe, up, lw.connected.Load(), cut, lw.taken.Load())
	}
	fmt.Fprintf(&b, "  counters: %+v\n", c)
	return b.String()
}

// openTokens names the tasks that were submitted and have no outcome:
// their tokens are still out, waiting for a callback.
func openTokens(h []types.HistoryEvent) []string {
	var open []string
	names := map[int64]string{}
	for _, e := range h {
		switch e.Type {
		case types.HistoryEventTypeTaskStateEntered:
			names[e.Id] = *e.StateEnteredEventDetails.Name
		case types.HistoryEventTypeTaskSubmitted:
			open = append(open, fmt.Sprintf("event %d", e.Id))
		case types.HistoryEventTypeTaskSucceeded, types.HistoryEventTypeTaskFailed, types.HistoryEventTypeTaskTimedOut:
			if len(open) > 0 {
				open = open[1:]
			}
		}
	}
	return open
}
