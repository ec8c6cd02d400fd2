package conformance

import (
	"context"
	"fmt"
	"time"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
	"github.com/stepwire/stepwire/emulator/conformance/casematch"
	"github.com/stepwire/stepwire/emulator/sfnemu"
)

// caseTimeout bounds one case in real time.
const caseTimeout = 20 * time.Second

// Names given to each case's resources.
const (
	machineName = "conformance"
	testCase    = "Case"
)

// Result is the verdict on one case.
type Result struct {
	Case *Case
	// Skip is the skip table's reason; empty when the case ran.
	Skip string
	// Err describes the difference from AWS; nil when the case passed.
	Err error
	// Changes lists the documented AWS changes (casematch.AWSChanges)
	// made since the case was recorded, which its expectation was
	// brought up to date with.
	Changes []string
}

// Passed reports whether the case ran and matched AWS.
func (r Result) Passed() bool { return r.Skip == "" && r.Err == nil }

// Run replays one case against a fresh service.
func Run(c *Case) (res Result) {
	res.Case = c
	if res.Skip = SkipReason(c); res.Skip != "" {
		return res
	}
	defer func() {
		if p := recover(); p != nil {
			res.Err = fmt.Errorf("runner panic: %v", p)
		}
	}()
	e, err := newEnv(c)
	if err != nil {
		res.Err = err
		return res
	}
	defer e.close()
	ctx, cancel := context.WithTimeout(context.Background(), caseTimeout)
	defer cancel()
	exp, changes := casematch.Current(c.doc)
	res.Changes = changes
	if exp == nil {
		res.Err = fmt.Errorf("case has no expect")
		return res
	}
	if _, ok := c.get("api"); ok {
		res.Err = runAPI(ctx, e, c, exp)
		return res
	}
	got, err := runExecution(ctx, e, c)
	if err != nil {
		res.Err = err
		return res
	}
	res.Err = casematch.Compare(exp, got)
	return res
}

// runExecution creates the case's state machine, runs its execution to
// the end and collects the result.
func runExecution(ctx context.Context, e *env, c *Case) (casematch.Outcome, error) {
	def, _ := c.get("definition")
	typ, ok := str(c.doc, "state_machine_type")
	if !ok {
		typ = "STANDARD"
	}
	e.svc.SetMockConfig(mockConfig(c, machineName, testCase))
	created, err := e.svc.CreateStateMachine(ctx, sfnemu.CreateStateMachineInput{Name: machineName,
		Definition: jsonv.EncodeString(def), RoleArn: roleArn, Type: typ})
	if err != nil {
		return casematch.Outcome{}, fmt.Errorf("CreateStateMachine: %w", err)
	}
	smArn := created.StateMachineArn
	input := "{}"
	if v, ok := c.get("input"); ok {
		input = jsonv.EncodeString(v)
	}
	if c.HasTag("dynamic_input") {
		input = substituteNow(input, e.clk.Now())
	}
	if start, _ := str(c.doc, "start_with"); start == "StartSyncExecution" {
		return runSync(ctx, e, smArn, input)
	}
	started, err := e.svc.StartExecution(ctx, sfnemu.StartExecutionInput{StateMachineArn: smArn + "#" + testCase, Input: &input})
	if err != nil {
		return casematch.Outcome{}, fmt.Errorf("StartExecution: %w", err)
	}
	d := &driver{env: e, c: c, arn: started.ExecutionArn}
	if err := d.run(ctx); err != nil {
		return casematch.Outcome{}, err
	}
	return describe(ctx, e.svc, started.ExecutionArn)
}

// describe reads an execution's result and history.
func describe(ctx context.Context, svc *sfnemu.Service, arn string) (casematch.Outcome, error) {
	d, err := svc.DescribeExecution(ctx, arn)
	if err != nil {
		return casematch.Outcome{}, fmt.Errorf("DescribeExecution: %w", err)
	}
	got := casematch.Outcome{Status: string(d.Status), Output: d.Output, Error: d.Error, Cause: d.Cause}
	got.History, err = history(ctx, svc, arn)
	return got, err
}

// runSync runs an Express execution with StartSyncExecution. The call
// returns when the execution ends, so the clock is moved from here while
// it runs.
func runSync(ctx context.Context, e *env, smArn, input string) (casematch.Outcome, error) {
	type reply struct {
		out sfnemu.SyncExecution
		err error
	}
	done := make(chan reply, 1)
	go func() {
		out, err := e.svc.StartSyncExecution(ctx, sfnemu.StartSyncExecutionInput{StateMachineArn: smArn, Input: &input})
		done <- reply{out, err}
	}()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case r := <-done:
			if r.err != nil {
				return casematch.Outcome{}, fmt.Errorf("StartSyncExecution: %w", r.err)
			}
			return casematch.Outcome{Status: string(r.out.Status), Output: r.out.Output, Error: r.out.Error, Cause: r.out.Cause}, nil
		case <-tick.C:
			e.clk.FireNext()
		case <-ctx.Done():
			return casematch.Outcome{}, fmt.Errorf("StartSyncExecution: %w", ctx.Err())
		}
	}
}

// RunAll runs the cases on workers goroutines and returns the results in
// the cases' order.
func RunAll(cases []*Case, workers int) []Result {
	results := make([]Result, len(cases))
	next := make(chan int)
	done := make(chan struct{})
	for range max(1, workers) {
		go func() {
			for i := range next {
				results[i] = Run(cases[i])
			}
			done <- struct{}{}
		}()
	}
	for i := range cases {
		next <- i
	}
	close(next)
	for range max(1, workers) {
		<-done
	}
	return results
}
