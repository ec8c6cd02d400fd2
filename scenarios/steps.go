package scenarios

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// do performs one step, then lets what it set off settle.
func (r *runner) do(ctx context.Context, st Step) error {
	if err := r.act(ctx, st); err != nil {
		return fmt.Errorf("line %d: %s: %w", st.line, st, err)
	}
	if err := r.settle(ctx); err != nil {
		return fmt.Errorf("line %d: %s: %w", st.line, st, err)
	}
	return nil
}

func (r *runner) act(ctx context.Context, st Step) error {
	switch {
	case st.Start != nil:
		return r.start(ctx, *st.Start)
	case st.Stop != nil:
		_, err := r.sfn.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: aws.String(r.exec(st.Stop.Execution)),
			Error: optional(st.Stop.Error), Cause: optional(st.Stop.Cause)})
		return err
	case st.Sigterm != "":
		return r.byName[st.Sigterm].sigterm()
	case st.Kill != "":
		return r.byName[st.Kill].kill()
	case st.Restart != "":
		return r.restart(ctx, r.byName[st.Restart])
	case st.Cut != "":
		return r.byName[st.Cut].cut()
	case st.Restore != "":
		return r.reconnect(ctx, r.byName[st.Restore])
	case st.Publish != nil:
		return r.publish(ctx, *st.Publish)
	case st.Advance != 0:
		return r.advance(ctx, st.Advance)
	case st.Wait != nil:
		return r.wait(ctx, *st.Wait)
	case st.Expect != nil:
		res, err := r.snapshot(ctx)
		if err != nil {
			return err
		}
		return r.s.checkExpect(*st.Expect, res)
	case st.RestartEmulator != nil:
		return r.restartEmulator(ctx, st.RestartEmulator.Kill)
	}
	return fmt.Errorf("empty step")
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

func (r *runner) exec(name string) string {
	if name == "" {
		name = mainExecution
	}
	return r.execs[name]
}

func (r *runner) start(ctx context.Context, st StartStep) error {
	input, err := jsonText(st.Input)
	if err != nil {
		return fmt.Errorf("input: %w", err)
	}
	machine := r.machine
	if st.StateMachine != "" {
		if machine, err = r.machineByName(ctx, st.StateMachine); err != nil {
			return err
		}
	}
	out, err := r.sfn.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(machine),
		Input: aws.String(input), Name: optional(r.w.unique(st.Name))})
	if err != nil {
		return fmt.Errorf("start execution: %w", err)
	}
	name := st.Name
	if name == "" {
		name = mainExecution
	}
	r.execs[name] = aws.ToString(out.ExecutionArn)
	r.order = append(r.order, name)
	return nil
}

// restart starts a new life of a worker that is down, and waits for it.
func (r *runner) restart(ctx context.Context, lw *liveWorker) error {
	lw.mu.Lock()
	done := lw.done
	lw.mu.Unlock()
	if done != nil { // a draining life: let it end first
		if err := r.drive(ctx, func() (bool, error) {
			select {
			case <-done:
				return true, nil
			default:
				return false, nil
			}
		}, time.Time{}); err != nil {
			return err
		}
		lw.mu.Lock()
		lw.stop, lw.done = nil, nil
		lw.mu.Unlock()
	}
	return lw.start(ctx)
}

// reconnect restores a worker's link and lets time run (its reconnect
// backoff is on the scenario's clock) until it is subscribed again. An
// activity worker has no session to wait for: its next poll, after its
// pause on the scenario's clock, goes through.
func (r *runner) reconnect(ctx context.Context, lw *liveWorker) error {
	before := lw.readies.Load()
	if err := lw.restore(); err != nil {
		return err
	}
	if lw.spec.Activity != "" {
		return nil
	}
	return r.drive(ctx, func() (bool, error) { return lw.readies.Load() > before, nil }, time.Time{})
}

func (r *runner) publish(ctx context.Context, st PublishStep) error {
	c := r.observer
	if st.As != "" {
		c = r.clients[st.As]
	}
	payload := []byte(st.Raw)
	if st.Raw == "" {
		b, err := json.Marshal(st.Payload)
		if err != nil {
			return fmt.Errorf("payload: %w", err)
		}
		payload = b
	}
	ok, err := c.publish(ctx, st.Topic, payload)
	switch {
	case err != nil:
		return err
	case ok && st.Denied:
		return fmt.Errorf("the broker took the publish to %s, want it denied", st.Topic)
	case !ok && !st.Denied:
		return fmt.Errorf("the broker denied the publish to %s", st.Topic)
	}
	return nil
}

// wait lets time run until the condition holds, for at most Within.
func (r *runner) wait(ctx context.Context, st WaitStep) error {
	var limit time.Time
	if st.Within > 0 {
		limit = r.clk.Now().Add(st.Within)
	}
	err := r.drive(ctx, func() (bool, error) { return r.holds(ctx, st.Until) }, limit)
	if err == errLimit {
		return fmt.Errorf("the condition did not hold within %v", st.Within)
	}
	return err
}

// holds reports whether a condition holds now.
func (r *runner) holds(ctx context.Context, c Condition) (bool, error) {
	if c.Log != nil && !logMatches(*c.Log, r.book.snapshot()) {
		return false, nil
	}
	if c.Status == "" && c.Event == "" {
		return true, nil
	}
	arn := r.exec(c.Execution)
	if c.Status != "" {
		d, err := r.sfn.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		if err != nil || string(d.Status) != c.Status {
			return false, err
		}
	}
	if c.Event != "" {
		h, err := history(ctx, r.sfn, arn)
		if err != nil {
			return false, err
		}
		n := 0
		for _, e := range h {
			if string(e.Type) == c.Event {
				n++
			}
		}
		return n >= max(c.Count, 1), nil
	}
	return true, nil
}

// allEnded reports whether every execution has left RUNNING.
func (r *runner) allEnded(ctx context.Context) (bool, error) {
	arns, err := r.running(ctx)
	return len(arns) == 0, err
}

func history(ctx context.Context, c *sfn.Client, arn string) ([]types.HistoryEvent, error) {
	var out []types.HistoryEvent
	p := sfn.NewGetExecutionHistoryPaginator(c, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("get execution history: %w", err)
		}
		out = append(out, page.Events...)
	}
	return out, nil
}
