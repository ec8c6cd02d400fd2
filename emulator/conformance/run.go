package conformance

import (
	"context"
	"fmt"
	"time"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
	"github.com/stepwire/stepwire/emulator/conformance/casematch"
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
	e := newEnv()
	defer e.close()
	ctx, cancel := context.WithTimeout(context.Background(), caseTimeout)
	defer cancel()
	exp := c.object("expect")
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
	created, err := e.api.mustCall("CreateStateMachine", obj("name", machineName,
		"definition", jsonv.EncodeString(def), "roleArn", roleArn, "type", typ))
	if err != nil {
		return casematch.Outcome{}, err
	}
	smArn, _ := str(created, "stateMachineArn")
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
	started, err := e.api.mustCall("StartExecution", obj("stateMachineArn", smArn+"#"+testCase, "input", input))
	if err != nil {
		return casematch.Outcome{}, err
	}
	arn, _ := str(started, "executionArn")
	d := &driver{env: e, c: c, arn: arn}
	if err := d.run(ctx); err != nil {
		return casematch.Outcome{}, err
	}
	return describe(e.api, arn)
}

// describe reads an execution's result and history.
func describe(api client, arn string) (casematch.Outcome, error) {
	out, err := api.mustCall("DescribeExecution", obj("executionArn", arn))
	if err != nil {
		return casematch.Outcome{}, err
	}
	got := resultOf(out)
	got.History, err = history(api, arn)
	return got, err
}

// resultOf reads status, output, error and cause of a DescribeExecution
// or StartSyncExecution response.
func resultOf(out *jsonv.Object) casematch.Outcome {
	var got casematch.Outcome
	got.Status, _ = str(out, "status")
	for _, f := range []struct {
		key string
		dst **string
	}{{"output", &got.Output}, {"error", &got.Error}, {"cause", &got.Cause}} {
		if s, ok := str(out, f.key); ok {
			*f.dst = &s
		}
	}
	return got
}

// runSync runs an Express execution with StartSyncExecution. The call
// returns when the execution ends, so the clock is moved from here while
// it runs.
func runSync(ctx context.Context, e *env, smArn, input string) (casematch.Outcome, error) {
	type reply struct {
		out *jsonv.Object
		err error
	}
	done := make(chan reply, 1)
	go func() {
		out, err := e.api.mustCall("StartSyncExecution", obj("stateMachineArn", smArn, "input", input))
		done <- reply{out, err}
	}()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case r := <-done:
			if r.err != nil {
				return casematch.Outcome{}, r.err
			}
			return resultOf(r.out), nil
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
