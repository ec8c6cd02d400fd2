package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/iot"
	"github.com/aws/aws-sdk-go-v2/service/scheduler"
	schedtypes "github.com/aws/aws-sdk-go-v2/service/scheduler/types"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepwire/stepwire/emulator"
)

// crashUpEnv makes the test binary run `stepwire up` with the arguments
// after -- instead of the tests, for TestSIGKILLKeepsAcknowledgedCalls.
const crashUpEnv = "STEPWIRE_TEST_RUN_UP"

func init() {
	if os.Getenv(crashUpEnv) == "" {
		return
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	args := os.Args[1:]
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	if err := run(ctx, args); err != nil {
		fmt.Fprintln(os.Stderr, "stepwire:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// TestSIGKILLKeepsAcknowledgedCalls SIGKILLs `stepwire up` at random
// points while four clients create things, certificates, activities,
// EventBridge rules with a target and Scheduler schedules, starts it
// again on the same data dir, and checks that every call that was
// answered before the kill has its effect there (docs/durability.md §3).
func TestSIGKILLKeepsAcknowledgedCalls(t *testing.T) {
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	dir := t.TempDir()
	var acked kept
	for round := range 3 {
		cmd, api := startUpProcess(t, dir)
		if err := verify(api, acked); err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("round %d, after restart: %v", round, err)
		}
		acked.add(load(api, round, 1+rng.IntN(60), cmd))
		cmd.Wait()
	}
	cmd, api := startUpProcess(t, dir)
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	if err := verify(api, acked); err != nil {
		t.Fatalf("after the last restart: %v", err)
	}
	t.Logf("%d things, %d certificates, %d activities, %d rules and %d schedules acknowledged across 3 SIGKILLs",
		len(acked.things), len(acked.certs), len(acked.activities), len(acked.rules), len(acked.schedules))
}

// TestInMemoryKeepsNoStateFile: `up --in-memory` writes no state file,
// and what it was told is gone after a restart.
func TestInMemoryKeepsNoStateFile(t *testing.T) {
	dir := t.TempDir()
	for round := range 2 {
		cmd, api := startUpProcess(t, dir, "--in-memory")
		_, err := api.iot.CreateThing(context.Background(), &iot.CreateThingInput{ThingName: aws.String("t")})
		cmd.Process.Kill()
		cmd.Wait()
		if err != nil {
			t.Fatalf("round %d: %v (a thing kept from the first run?)", round, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, emulator.StateFile)); !os.IsNotExist(err) {
		t.Errorf("up --in-memory left a state file: %v", err)
	}
}

// startUpProcess starts `stepwire up` on dir, with extra flags, and waits
// for its endpoints.
func startUpProcess(t *testing.T, dir string, extra ...string) (*exec.Cmd, apiClients) {
	t.Helper()
	endpoints := filepath.Join(dir, "endpoints.json")
	os.Remove(endpoints)
	args := append([]string{"-test.run=^$", "--", "up", "--template", "", "--data-dir", dir,
		"--http", "127.0.0.1:0", "--mqtt", "127.0.0.1:0"}, extra...)
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), crashUpEnv+"=1")
	logf, err := os.Create(filepath.Join(t.TempDir(), "up.log"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { logf.Close() })
	cmd.Stderr, cmd.Stdout = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		b, err := os.ReadFile(endpoints)
		var ends emulator.Endpoints
		if err == nil && json.Unmarshal(b, &ends) == nil && ends.HTTP != "" {
			cfg := aws.Config{Region: ends.Region, BaseEndpoint: aws.String(ends.HTTP),
				Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}
			return cmd, apiClients{iot: iot.NewFromConfig(cfg), sfn: sfn.NewFromConfig(cfg),
				events: eventbridge.NewFromConfig(cfg), scheduler: scheduler.NewFromConfig(cfg)}
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("stepwire up did not write its endpoints within 30 s (log %s)", logf.Name())
		}
		time.Sleep(20 * time.Millisecond) // polling a file another process writes
	}
}

// load runs four clients creating things (and every fifth call a
// certificate, an activity, a rule with its target, a schedule) and
// SIGKILLs the emulator after kill acknowledged calls.
// It returns what was acknowledged, until the kill.
func load(api apiClients, round, kill int, cmd *exec.Cmd) (k kept) {
	var mu sync.Mutex
	var once sync.Once
	ack := func(o kept) {
		mu.Lock()
		defer mu.Unlock()
		k.add(o)
		if len(k.things)+len(k.certs)+len(k.activities)+len(k.rules)+len(k.schedules) >= kill {
			once.Do(func() { cmd.Process.Kill() })
		}
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 100 { // bounded: the kill normally ends it first
				if i%5 == 2 {
					name := fmt.Sprintf("act-r%d-g%d-%d", round, g, i)
					if _, err := api.sfn.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String(name)}); err != nil {
						return
					}
					ack(kept{activities: []string{name}})
					continue
				}
				if i%5 == 1 {
					name := fmt.Sprintf("rule-r%d-g%d-%d", round, g, i)
					if putRule(ctx, api.events, name) != nil {
						return
					}
					ack(kept{rules: []string{name}})
					continue
				}
				if i%5 == 3 {
					name := fmt.Sprintf("sched-r%d-g%d-%d", round, g, i)
					if createSchedule(ctx, api.scheduler, name) != nil {
						return
					}
					ack(kept{schedules: []string{name}})
					continue
				}
				if i%5 == 4 {
					out, err := api.iot.CreateKeysAndCertificate(ctx, &iot.CreateKeysAndCertificateInput{SetAsActive: true})
					if err != nil {
						return
					}
					ack(kept{certs: []string{aws.ToString(out.CertificateId)}})
					continue
				}
				name := fmt.Sprintf("r%d-g%d-%d", round, g, i)
				if _, err := api.iot.CreateThing(ctx, &iot.CreateThingInput{ThingName: aws.String(name)}); err != nil {
					return
				}
				ack(kept{things: []string{name}})
			}
		})
	}
	wg.Wait()
	once.Do(func() { cmd.Process.Kill() })
	return k
}

// kept is what a run acknowledged.
type kept struct{ things, certs, activities, rules, schedules []string }

// add appends o's names.
func (k *kept) add(o kept) {
	k.things = append(k.things, o.things...)
	k.certs = append(k.certs, o.certs...)
	k.activities = append(k.activities, o.activities...)
	k.rules = append(k.rules, o.rules...)
	k.schedules = append(k.schedules, o.schedules...)
}

type apiClients struct {
	iot       *iot.Client
	sfn       *sfn.Client
	events    *eventbridge.Client
	scheduler *scheduler.Client
}

// ruleTarget is the one target each rule gets.
const ruleTarget = "arn:aws:lambda:us-east-1:123456789012:function:f"

// putRule creates an EventBridge rule and its target.
func putRule(ctx context.Context, c *eventbridge.Client, name string) error {
	_, err := c.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String(name), EventPattern: aws.String(`{"source":["crash"]}`)})
	if err == nil {
		_, err = c.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String(name),
			Targets: []ebtypes.Target{{Id: aws.String("t"), Arn: aws.String(ruleTarget)}}})
	}
	return err
}

// createSchedule creates a daily Scheduler schedule.
func createSchedule(ctx context.Context, c *scheduler.Client, name string) error {
	_, err := c.CreateSchedule(ctx, &scheduler.CreateScheduleInput{Name: aws.String(name),
		ScheduleExpression: aws.String("rate(1 day)"),
		FlexibleTimeWindow: &schedtypes.FlexibleTimeWindow{Mode: schedtypes.FlexibleTimeWindowModeOff},
		Target: &schedtypes.Target{Arn: aws.String("arn:aws:states:us-east-1:123456789012:stateMachine:m"),
			RoleArn: aws.String("arn:aws:iam::123456789012:role/r")}})
	return err
}

// verify checks that every acknowledged thing, certificate, activity,
// rule (with its target) and schedule is there.
func verify(api apiClients, k kept) error {
	ctx := context.Background()
	for _, name := range k.rules {
		out, err := api.events.ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String(name)})
		if err != nil || len(out.Targets) != 1 || aws.ToString(out.Targets[0].Arn) != ruleTarget {
			return fmt.Errorf("acknowledged rule %s or its target lost: %v %v", name, out, err)
		}
	}
	for _, name := range k.schedules {
		if _, err := api.scheduler.GetSchedule(ctx, &scheduler.GetScheduleInput{Name: aws.String(name)}); err != nil {
			return fmt.Errorf("acknowledged schedule %s lost: %w", name, err)
		}
	}
	for _, name := range k.activities {
		arn := "arn:aws:states:us-east-1:123456789012:activity:" + name
		if _, err := api.sfn.DescribeActivity(ctx, &sfn.DescribeActivityInput{ActivityArn: aws.String(arn)}); err != nil {
			return fmt.Errorf("acknowledged activity %s lost: %w", name, err)
		}
	}
	ctl := api.iot
	for _, name := range k.things {
		if _, err := ctl.DescribeThing(ctx, &iot.DescribeThingInput{ThingName: aws.String(name)}); err != nil {
			return fmt.Errorf("acknowledged thing %s lost: %w", name, err)
		}
	}
	for _, id := range k.certs {
		out, err := ctl.DescribeCertificate(ctx, &iot.DescribeCertificateInput{CertificateId: aws.String(id)})
		if err != nil {
			return fmt.Errorf("acknowledged certificate %s lost: %w", id, err)
		}
		if s := out.CertificateDescription.Status; s != "ACTIVE" {
			return fmt.Errorf("certificate %s is %s after restart", id, s)
		}
	}
	return nil
}
