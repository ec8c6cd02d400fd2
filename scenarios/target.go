package scenarios

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stepwire/stepwire/worker"
)

// Target runs a scenario somewhere and returns what came out. Targets
// drive the system only through its wire: the Step Functions and IoT APIs
// and MQTT.
type Target interface {
	// Name is how scenario files name the target in "targets".
	Name() string
	Run(tb testing.TB, s *Scenario) (Result, error)
}

// Supports reports whether a scenario may run on a target: the ones it
// lists, or the in-process target alone when it lists none.
func Supports(s *Scenario, t Target) bool {
	if len(s.Targets) == 0 {
		return t.Name() == "inprocess"
	}
	return slices.Contains(s.Targets, t.Name())
}

// InProcess runs scenarios on an emulator started inside the process, on
// virtual time unless the scenario says otherwise.
type InProcess struct {
	// handler, when set, answers every job instead of the behaviours, and
	// onPoll is called on every poll (tests of the runner itself).
	handler worker.Handler
	onPoll  func(*probe)
}

// Name implements Target.
func (InProcess) Name() string { return "inprocess" }

// endOfRunGrace bounds (wall clock) how long the end of a run waits for
// MQTT messages and log records still on their way to match.
const endOfRunGrace = 2 * time.Second

// Run implements Target: it sets the world up, plays the steps, lets every
// execution end, and returns the snapshot. Expectations of steps that fail
// end the run with an error; the final expectations are left to Check.
func (ip InProcess) Run(tb testing.TB, s *Scenario) (Result, error) {
	if s.Pending != "" {
		return Result{}, fmt.Errorf("pending: %s", s.Pending)
	}
	if s.node == nil { // built in Go, not loaded: fill in the defaults
		if err := s.validate(); err != nil {
			return Result{}, err
		}
	}
	r, err := setUp(tb, s, ip)
	if err != nil {
		return Result{}, err
	}
	ctx := context.Background()
	for _, st := range s.Steps {
		if err := r.do(ctx, st); err != nil {
			return Result{}, err
		}
	}
	if err := r.drive(ctx, func() (bool, error) { return r.allEnded(ctx) }, time.Time{}); err != nil {
		return Result{}, fmt.Errorf("waiting for the executions to end: %w", err)
	}
	if err := r.settle(ctx); err != nil { // what the ends set off: cancels, late reports
		return Result{}, fmt.Errorf("after the executions ended: %w", err)
	}
	deadline := time.Now().Add(endOfRunGrace)
	for {
		res, err := r.snapshot(ctx)
		if err != nil || s.Check(res) == nil || time.Now().After(deadline) {
			return res, err
		}
		time.Sleep(5 * pollInterval) // polling for messages still on their way
	}
}

// Endpoint runs scenarios against an emulator already running at an
// endpoint (a container, or "stepwire up" by hand), on wall time. Only
// scenarios that list it in "targets" run there: virtual time, killing a
// worker's host and cutting its link need the in-process target.
type Endpoint struct {
	// HTTP is the AWS API endpoint, MQTT the broker's host:port.
	HTTP, MQTT string
}

// Name implements Target.
func (Endpoint) Name() string { return "endpoint" }

// Run implements Target.
func (e Endpoint) Run(testing.TB, *Scenario) (Result, error) {
	return Result{}, fmt.Errorf("the endpoint target is not implemented yet (%s)", e.HTTP)
}
