package scenarios

import (
	"context"
	"crypto/x509"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/stepwire/stepwire/worker"
)

// Target runs a scenario somewhere and returns what came out. Targets
// drive the system only through its wire: the Step Functions and IoT APIs
// and MQTT. The workers are the run's own, in the process, whatever the
// target: they reach the broker (or, for activity workers, the Step
// Functions API) through links the run can cut.
type Target interface {
	// Name is how scenario files name the target in "targets".
	Name() string
	Run(tb testing.TB, s *Scenario) (Result, error)
}

// Refuser is a target that cannot do everything a scenario may ask for.
// Refuse names the first step or check the target cannot do, with its
// line and why; a scenario that lists the target in "targets" and is
// refused fails.
type Refuser interface {
	Refuse(s *Scenario) error
}

// The names of the targets, as scenario files list them.
const (
	TargetInProcess = "inprocess"
	TargetEndpoint  = "endpoint"
	TargetAWS       = "aws"
)

// Supports reports whether a scenario may run on a target: the ones it
// lists, or the in-process target alone when it lists none.
func Supports(s *Scenario, t Target) bool {
	if len(s.Targets) == 0 {
		return t.Name() == TargetInProcess
	}
	return slices.Contains(s.Targets, t.Name())
}

// SkipReason says why a scenario does not run on t, or "" when it does.
func SkipReason(s *Scenario, t Target) string {
	if Supports(s, t) {
		return ""
	}
	targets, why := s.Targets, s.TargetsWhy
	if len(targets) == 0 {
		targets = []string{TargetInProcess}
	}
	if why == "" {
		why = "the file gives no reason (targetsWhy)"
	}
	return fmt.Sprintf("not on the %s target (targets: %s): %s", t.Name(), strings.Join(targets, ", "), why)
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
func (InProcess) Name() string { return TargetInProcess }

// endOfRunGrace bounds (wall clock) how long the end of a run waits for
// MQTT messages and log records still on their way to match.
const endOfRunGrace = 2 * time.Second

// Run implements Target: it sets the world up, plays the steps, lets every
// execution end, and returns the snapshot. Expectations of steps that fail
// end the run with an error; the final expectations are left to Check.
func (ip InProcess) Run(tb testing.TB, s *Scenario) (Result, error) {
	if err := ready(s); err != nil {
		return Result{}, err
	}
	book := &logBook{}
	return play(tb, s, inProcessWorld(tb, s, book), book, ip)
}

// ready checks that a scenario can run: not pending, and validated (a
// scenario built in Go gets its defaults here).
func ready(s *Scenario) error {
	if s.Pending != "" {
		return fmt.Errorf("pending: %s", s.Pending)
	}
	if s.node == nil {
		return s.validate()
	}
	return nil
}

// Endpoint runs scenarios against an emulator already running at an
// endpoint (a container, or "stepwire up" by hand), on wall time, through
// its wire alone: the AWS APIs at HTTP, certificates issued through its
// IoT API, the broker it names at GET /_stepwire/endpoints and the CA at
// /_stepwire/ca. The run's names (executions, the things and machines it
// creates) get a suffix of its own, and what it creates is deleted at its
// end; a definition given with stateMachine replaces the machine's for the
// run and is put back after. Its workers take the template's client ID, so
// no other worker of that thing should be connected meanwhile.
type Endpoint struct {
	// HTTP is the AWS API endpoint URL.
	HTTP string
	// MQTT overrides the broker's host:port (default: the emulator's
	// answer, its unspecified host replaced by HTTP's).
	MQTT string
	// Config, when set, is the SDK configuration (credentials, region);
	// its endpoint is replaced by HTTP. Default: dummy credentials, which
	// an emulator started without --credentials accepts.
	Config *aws.Config
}

// Name implements Target.
func (Endpoint) Name() string { return TargetEndpoint }

// Refuse implements Refuser: what needs virtual time or an emulator of
// the run's own.
func (e Endpoint) Refuse(s *Scenario) error { return refuseRemote(s, e.Name()) }

// Run implements Target.
func (e Endpoint) Run(tb testing.TB, s *Scenario) (Result, error) {
	if err := ready(s); err != nil {
		return Result{}, err
	}
	if err := e.Refuse(s); err != nil {
		return Result{}, err
	}
	w, err := endpointWorld(context.Background(), e)
	if err != nil {
		return Result{}, err
	}
	return play(tb, s, w, &logBook{}, InProcess{})
}

// AWS runs scenarios against a stack deployed on AWS, found by its name
// in CloudFormation (internal/target, internal/stack) with the default
// credential chain: the same path as Endpoint, with the names discovery
// gives (the state machine's ARN by its logical id, the topics, the
// thing and the account's IoT data endpoint). It runs the stack's state
// machines as deployed.
type AWS struct {
	// Config is the SDK configuration (nil: target.LoadAWSConfig, the
	// default credential chain).
	Config *aws.Config
	// Stack is the stack's name (default: STACK_NAME, else stepwire).
	Stack string
	// RootCAs verifies the broker (nil: the system's roots, which hold
	// Amazon's).
	RootCAs *x509.CertPool
}

// Name implements Target.
func (AWS) Name() string { return TargetAWS }

// Refuse implements Refuser: Endpoint's refusals, and what would change
// the deployed stack.
func (a AWS) Refuse(s *Scenario) error {
	if err := refuseRemote(s, a.Name()); err != nil {
		return err
	}
	if s.Definition != "" {
		return s.fieldError("the aws target runs the stack's state machines as deployed: a definition of the scenario's own "+
			"would change the stack, or fall outside its IAM policies (the complete Lambda may answer the deployed machine alone)", nil, "definition")
	}
	for i, w := range s.Workers {
		if w.Activity != "" {
			return s.fieldError("the aws target deploys no activity (it needs a definition of the scenario's own)", nil, "workers", i, "activity")
		}
	}
	return nil
}

// Run implements Target.
func (a AWS) Run(tb testing.TB, s *Scenario) (Result, error) {
	if err := ready(s); err != nil {
		return Result{}, err
	}
	if err := a.Refuse(s); err != nil {
		return Result{}, err
	}
	w, err := awsWorld(context.Background(), a)
	if err != nil {
		return Result{}, err
	}
	return play(tb, s, w, &logBook{}, InProcess{})
}

// refuseRemote names what a target on wall time, on a system the run
// does not own, cannot do.
func refuseRemote(s *Scenario, target string) error {
	for i, st := range s.Steps {
		switch {
		case st.Advance != 0:
			return s.fieldError("advance needs virtual time; the %s target runs on the wall clock (wait for a condition instead)",
				[]any{target}, "steps", i, "advance")
		case st.RestartEmulator != nil:
			return s.fieldError("the %s target cannot restart a system it does not own", []any{target}, "steps", i, "restartEmulator")
		case st.Wait != nil && st.Wait.Until.Log != nil && st.Wait.Until.Log.Worker == "":
			return s.fieldError("%s", []any{onlyWorkerLogs(target)}, "steps", i, "wait", "until", "log")
		case st.Expect != nil:
			if err := refuseExpect(s, *st.Expect, target, "steps", i, "expect"); err != nil {
				return err
			}
		}
	}
	return refuseExpect(s, s.Expect, target, "expect")
}

func onlyWorkerLogs(target string) string {
	return "on the " + target + " target only the workers' logs are seen (the workers run in this process; " +
		"the emulator's and the Lambdas' logs are not on the wire): name a worker"
}

func refuseExpect(s *Scenario, e Expect, target string, path ...any) error {
	if e.At != 0 {
		return s.fieldError("at compares the service's clock with the runner's; on the %s target use elapsed or within",
			[]any{target}, append(path, "at")...)
	}
	for i, l := range e.Logs {
		if l.Worker == "" {
			return s.fieldError("%s", []any{onlyWorkerLogs(target)}, append(path, "logs", i)...)
		}
	}
	for name, sub := range e.Executions {
		if err := refuseExpect(s, sub, target, append(path, "executions", name)...); err != nil {
			return err
		}
	}
	return nil
}
