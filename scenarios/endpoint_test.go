package scenarios

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iot"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/internal/target"
)

// wallEmulator is a running emulator on the wall clock, loaded with the
// template, that a target reaches only over the wire: its HTTP endpoint
// (and, for the aws target, the stack it serves through CloudFormation's
// DescribeStacks).
func wallEmulator(t *testing.T) *emulatortest.Server {
	t.Helper()
	return emulatortest.New(t, emulatortest.WithTemplate("../template.yaml"))
}

// TestEndpointTarget runs every library file that lists the endpoint
// target against a running emulator of its own, on wall time: among them
// the happy path, a worker failure, a heartbeat timeout of 2 s and an
// activity worker. The others are skipped with their reason.
func TestEndpointTarget(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("*.yaml")
	var wg sync.WaitGroup
	want := map[string]bool{"sample.yaml": true, "worker-failure.yaml": true, "no-heartbeats.yaml": true, "activity-worker.yaml": true}
	for _, f := range files {
		s, err := Load(f)
		if err != nil {
			t.Fatal(err)
		}
		if s.Pending != "" {
			continue
		}
		if !Supports(s, Endpoint{}) {
			// Skipped before anything is reached.
			if r := RunFile(f, Endpoint{HTTP: "http://127.0.0.1:1"}, false); !strings.HasPrefix(r.Skipped, "not on the endpoint target") || r.Err != nil {
				t.Errorf("%s: %+v", f, r)
			}
			continue
		}
		delete(want, f)
		// Each on an emulator of its own, all at once: they wait on the
		// wall clock, mostly.
		wg.Add(1)
		go func() {
			defer wg.Done()
			srv := wallEmulator(t)
			if r := RunFile(f, Endpoint{HTTP: srv.Endpoints().HTTP}, false); r.Err != nil || r.Skipped != "" || len(r.Notes) > 0 {
				t.Errorf("%s: %+v", f, r)
			}
		}()
	}
	wg.Wait()
	for f := range want {
		t.Errorf("%s does not run on the endpoint target", f)
	}
}

// Scenarios run one after the other on one emulator, and again: each
// run's names are its own, and what it created is gone after it (things,
// certificates, policies, machines, activities), the template's machine
// back to its own definition.
func TestEndpointRunsLeaveNothingBehind(t *testing.T) {
	t.Parallel()
	srv := wallEmulator(t)
	ctx := context.Background()
	c := sfn.NewFromConfig(srv.AWSConfig())
	machine := "arn:aws:states:us-east-1:123456789012:stateMachine:MqttBasedStateMachine"
	before, err := c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(machine)})
	if err != nil {
		t.Fatal(err)
	}
	tg := Endpoint{HTTP: srv.Endpoints().HTTP}
	for _, f := range []string{"sample.yaml", "catch-fallback.yaml", "map-fanout.yaml", "sample.yaml", "map-fanout.yaml"} {
		if r := RunFile(f, tg, false); r.Err != nil || r.Skipped != "" || len(r.Notes) > 0 {
			t.Fatalf("%s: %+v", f, r)
		}
	}
	i := iot.NewFromConfig(srv.AWSConfig())
	things, err := i.ListThings(ctx, &iot.ListThingsInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, th := range things.Things {
		if name := aws.ToString(th.ThingName); name != defaultThing {
			t.Errorf("thing %s is left behind", name)
		}
	}
	certs, err := i.ListCertificates(ctx, &iot.ListCertificatesInput{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(certs.Certificates); n != 0 {
		t.Errorf("%d certificates are left behind", n)
	}
	policies, err := i.ListPolicies(ctx, &iot.ListPoliciesInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range policies.Policies {
		if name := aws.ToString(p.PolicyName); name != defaultPolicy {
			t.Errorf("policy %s is left behind", name)
		}
	}
	machines, err := c.ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(machines.StateMachines); n != 1 {
		t.Errorf("%d state machines, want the template's alone", n)
	}
	after, err := c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(machine)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(after.Definition) != aws.ToString(before.Definition) {
		t.Errorf("the template's machine keeps the scenario's definition:\n%s", aws.ToString(after.Definition))
	}
}

// The endpoint target refuses, with the line and why, what needs virtual
// time or an emulator of its own, in a scenario that lists it.
func TestEndpointRefusals(t *testing.T) {
	tpl := abs(t, "../template.yaml")
	head := "name: x\ntemplate: " + tpl + "\nstateMachine: MqttBasedStateMachine\ntargets: [inprocess, endpoint]\nworkers: [{name: w1}]\n"
	for body, want := range map[string]string{
		"steps:\n  - start: {}\n  - advance: 10m\nexpect: {status: SUCCEEDED}\n":                      "8: steps[1].advance: advance needs virtual time; the endpoint target runs on the wall clock",
		"steps:\n  - start: {}\n  - restartEmulator: true\nexpect: {status: SUCCEEDED}\n":             "8: steps[1].restartEmulator: the endpoint target cannot restart a system it does not own",
		"expect: {status: SUCCEEDED, at: 1m}\n":                                                       "6: expect.at: at compares the service's clock with the runner's",
		"expect:\n  status: SUCCEEDED\n  logs: [{function: SendToLambdaFunction, event: complete}]\n": "8: expect.logs[0]: on the endpoint target only the workers' logs are seen",
	} {
		path := filepath.Join(t.TempDir(), "x.yaml")
		writeFile(t, path, head+body)
		r := RunFile(path, Endpoint{HTTP: "http://127.0.0.1:1"}, false)
		if r.Err == nil || !strings.Contains(r.Err.Error(), want) {
			t.Errorf("%s:\n got %v\nwant %q", body, r.Err, want)
		}
	}
}

// A scenario that does not list the target is skipped with its reason.
func TestSkippedTarget(t *testing.T) {
	r := RunFile("wait-24h.yaml", Endpoint{HTTP: "http://127.0.0.1:1"}, false)
	if r.Err != nil || !strings.HasPrefix(r.Skipped, "not on the endpoint target (targets: inprocess): ") {
		t.Fatalf("RunFile = %+v", r)
	}
}

// TestAWSTargetDiscovery runs the scenarios that list the aws target
// through the aws target's code path, discovery included, against the
// emulator, which serves DescribeStacks for the template it loaded: the
// state machine is found by its logical id, the topics and the broker by
// the stack's parameters and DescribeEndpoint.
func TestAWSTargetDiscovery(t *testing.T) {
	t.Parallel()
	srv := wallEmulator(t)
	cfg := srv.AWSConfig()
	tg := AWS{Config: &cfg, Stack: target.DefaultStack, RootCAs: srv.CAPool()}
	for _, f := range []string{"sample.yaml", "worker-failure.yaml"} {
		if r := RunFile(f, tg, false); r.Err != nil || r.Skipped != "" || len(r.Notes) > 0 {
			t.Errorf("%s: %+v", f, r)
		}
	}
	// A definition of the scenario's own is refused on AWS, with why.
	r := RunFile("no-heartbeats.yaml", tg, false)
	if !strings.HasPrefix(r.Skipped, "not on the aws target") {
		t.Errorf("no-heartbeats.yaml: %+v", r)
	}
	s, err := Load("catch-fallback.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := tg.Refuse(s); err == nil || !strings.Contains(err.Error(), "definition: the aws target runs the stack's state machines as deployed") {
		t.Errorf("Refuse(catch-fallback) = %v", err)
	}
}
