package emulator

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/scheduler"
	schedtypes "github.com/aws/aws-sdk-go-v2/service/scheduler/types"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepwire/stepwire/emulator/sfnemu"
	"github.com/stepwire/stepwire/emulator/store"
	"github.com/stepwire/stepwire/internal/clock"
)

func awsConfig(e *Emulator) aws.Config {
	return aws.Config{Region: e.Endpoints().Region,
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}
}

func eventsClient(e *Emulator) *eventbridge.Client {
	return eventbridge.NewFromConfig(awsConfig(e), func(o *eventbridge.Options) { o.BaseEndpoint = aws.String(e.Endpoints().HTTP) })
}

func schedulerClient(e *Emulator) *scheduler.Client {
	return scheduler.NewFromConfig(awsConfig(e), func(o *scheduler.Options) { o.BaseEndpoint = aws.String(e.Endpoints().HTTP) })
}

const cancelFn = "arn:aws:lambda:us-east-1:123456789012:function:CancelJobFunction"

// TestRestartKeepsRulesAndSchedules: EventBridge rules with their targets
// and Scheduler schedules made through the API are there after a restart,
// as the last call before it left them; the template's rule, changed
// through the API, is the template's again, the target added to it kept
// (docs/durability.md §4).
func TestRestartKeepsRulesAndSchedules(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	e := startDurable(t, dir)
	ev, sc := eventsClient(e), schedulerClient(e)
	rules, err := ev.ListRules(ctx, &eventbridge.ListRulesInput{})
	if err != nil || len(rules.Rules) != 1 {
		e.Close()
		t.Fatalf("the template's rules: %+v %v", rules, err)
	}
	tmplRule := aws.ToString(rules.Rules[0].Name)
	target := func(id string) ebtypes.Target {
		return ebtypes.Target{Id: aws.String(id), Arn: aws.String(cancelFn), InputPath: aws.String("$.detail")}
	}
	window := &schedtypes.FlexibleTimeWindow{Mode: schedtypes.FlexibleTimeWindowModeOff}
	schedTarget := &schedtypes.Target{Arn: aws.String("arn:aws:states:us-east-1:123456789012:stateMachine:Kept"),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/r"), Input: aws.String(`{"job":"nightly"}`)}
	calls := []func() error{
		func() error {
			_, err := ev.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("failed"), Description: aws.String("kept"),
				EventPattern: aws.String(`{"source":["aws.states"],"detail":{"status":["FAILED"]}}`)})
			return err
		},
		func() error {
			_, err := ev.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("failed"), Targets: []ebtypes.Target{target("a"), target("b")}})
			return err
		},
		func() error {
			_, err := ev.RemoveTargets(ctx, &eventbridge.RemoveTargetsInput{Rule: aws.String("failed"), Ids: []string{"a"}})
			return err
		},
		func() error {
			_, err := ev.DisableRule(ctx, &eventbridge.DisableRuleInput{Name: aws.String("failed")})
			return err
		},
		func() error {
			_, err := ev.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("gone"), EventPattern: aws.String(`{"source":["x"]}`)})
			return err
		},
		func() error {
			_, err := ev.DeleteRule(ctx, &eventbridge.DeleteRuleInput{Name: aws.String("gone")})
			return err
		},
		func() error { // the template's rule, changed through the API
			_, err := ev.DisableRule(ctx, &eventbridge.DisableRuleInput{Name: aws.String(tmplRule)})
			if err == nil {
				_, err = ev.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String(tmplRule), Targets: []ebtypes.Target{target("extra")}})
			}
			return err
		},
		func() error {
			_, err := sc.CreateSchedule(ctx, &scheduler.CreateScheduleInput{Name: aws.String("nightly"),
				ScheduleExpression: aws.String("cron(0 2 * * ? *)"), FlexibleTimeWindow: window, Target: schedTarget})
			return err
		},
		func() error {
			_, err := sc.UpdateSchedule(ctx, &scheduler.UpdateScheduleInput{Name: aws.String("nightly"),
				ScheduleExpression: aws.String("cron(0 3 * * ? *)"), FlexibleTimeWindow: window, Target: schedTarget,
				State: schedtypes.ScheduleStateDisabled, Description: aws.String("kept")})
			return err
		},
		func() error {
			_, err := sc.CreateSchedule(ctx, &scheduler.CreateScheduleInput{Name: aws.String("gone"),
				ScheduleExpression: aws.String("rate(1 hour)"), FlexibleTimeWindow: window, Target: schedTarget})
			if err == nil {
				_, err = sc.DeleteSchedule(ctx, &scheduler.DeleteScheduleInput{Name: aws.String("gone")})
			}
			return err
		},
	}
	for i, call := range calls {
		if err := call(); err != nil {
			e.Close()
			t.Fatalf("call %d: %v", i, err)
		}
	}
	before, err := sc.GetSchedule(ctx, &scheduler.GetScheduleInput{Name: aws.String("nightly")})
	if err != nil {
		e.Close()
		t.Fatal(err)
	}
	e = restartDurable(t, e, dir)
	defer e.Close()
	ev, sc = eventsClient(e), schedulerClient(e)
	r, err := ev.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String("failed")})
	if err != nil || r.State != ebtypes.RuleStateDisabled || aws.ToString(r.Description) != "kept" ||
		!strings.Contains(aws.ToString(r.EventPattern), "FAILED") {
		t.Errorf("rule after restart: %+v %v", r, err)
	}
	ts, err := ev.ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String("failed")})
	if err != nil || len(ts.Targets) != 1 || aws.ToString(ts.Targets[0].Id) != "b" || aws.ToString(ts.Targets[0].InputPath) != "$.detail" {
		t.Errorf("targets after restart: %+v %v", ts, err)
	}
	if _, err := ev.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String("gone")}); err == nil {
		t.Error("a deleted rule came back")
	}
	r, err = ev.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String(tmplRule)})
	if err != nil || r.State != ebtypes.RuleStateEnabled {
		t.Errorf("the template's rule after restart: %+v %v, want the template's state", r, err)
	}
	ts, err = ev.ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String(tmplRule)})
	if err != nil || len(ts.Targets) != 2 {
		t.Errorf("the template rule's targets after restart: %+v %v, want the template's and the one added", ts, err)
	}
	after, err := sc.GetSchedule(ctx, &scheduler.GetScheduleInput{Name: aws.String("nightly")})
	if err != nil || aws.ToString(after.ScheduleExpression) != "cron(0 3 * * ? *)" || after.State != schedtypes.ScheduleStateDisabled ||
		aws.ToString(after.Description) != "kept" || !aws.ToTime(after.CreationDate).Equal(aws.ToTime(before.CreationDate)) ||
		!aws.ToTime(after.LastModificationDate).Equal(aws.ToTime(before.LastModificationDate)) ||
		aws.ToString(after.Target.Input) != `{"job":"nightly"}` {
		t.Errorf("schedule after restart: %+v %v, before %+v", after, err, before)
	}
	if _, err := sc.GetSchedule(ctx, &scheduler.GetScheduleInput{Name: aws.String("gone")}); err == nil {
		t.Error("a deleted schedule came back")
	}
}

// startOnClock starts a durable emulator without a template on dataDir and
// a fake clock.
func startOnClock(t *testing.T, dataDir string, c clock.Clock) *Emulator {
	t.Helper()
	e, err := New(Config{DataDir: dataDir, Durable: true, Clock: c, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	return e
}

// TestSchedulesFireAfterRestart: after a restart on the emulator's clock,
// a recurring schedule fires at its next due time, the runs it missed
// while the emulator was down not made up; a one-time schedule whose time
// passed while it was down fires once at start; one that ran before the
// restart does not run again (docs/durability.md §4).
func TestSchedulesFireAfterRestart(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	t0 := time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC)
	fake := clock.NewFake(t0)
	e := startOnClock(t, dir, fake)
	sm, err := sfnClient(e).CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("Job"),
		Definition: aws.String(passDefinition), RoleArn: aws.String("arn:aws:iam::123456789012:role/r")})
	if err != nil {
		e.Close()
		t.Fatal(err)
	}
	window := &schedtypes.FlexibleTimeWindow{Mode: schedtypes.FlexibleTimeWindowModeOff}
	create := func(name, expr string) error {
		_, err := schedulerClient(e).CreateSchedule(ctx, &scheduler.CreateScheduleInput{Name: aws.String(name),
			ScheduleExpression: aws.String(expr), FlexibleTimeWindow: window,
			Target: &schedtypes.Target{Arn: sm.StateMachineArn, RoleArn: aws.String("arn:aws:iam::123456789012:role/r"),
				Input: aws.String(`{"by":"` + name + `"}`)}})
		return err
	}
	for _, s := range [][2]string{{"hourly", "rate(1 hour)"}, {"early", "at(2026-03-05T10:30:00)"}, {"missed", "at(2026-03-05T12:30:00)"}} {
		if err := create(s[0], s[1]); err != nil {
			e.Close()
			t.Fatal(err)
		}
	}
	fake.Advance(45 * time.Minute) // "early" runs
	waitRuns(t, e, aws.ToString(sm.StateMachineArn), map[string]int{"early": 1})
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}

	// Down from 10:45 to 15:10: "hourly" missed 11:00 to 15:00, "missed" its 12:30.
	fake = clock.NewFake(t0.Add(5*time.Hour + 10*time.Minute))
	e = startOnClock(t, dir, fake)
	defer e.Close()
	fake.Advance(0)
	waitRuns(t, e, aws.ToString(sm.StateMachineArn), map[string]int{"early": 1, "missed": 1})
	fake.Advance(50 * time.Minute) // to 16:00
	waitRuns(t, e, aws.ToString(sm.StateMachineArn), map[string]int{"early": 1, "missed": 1, "hourly": 1})
}

// waitRuns polls, with a deadline, until the machine's executions are
// want by schedule, and fails if they pass it.
func waitRuns(t *testing.T, e *Emulator, machine string, want map[string]int) {
	t.Helper()
	var got map[string]int
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		got = map[string]int{}
		out, err := e.SFN.ListExecutions(context.Background(), sfnemu.ListExecutionsInput{StateMachineArn: machine})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range out.Executions {
			d, err := e.SFN.DescribeExecution(context.Background(), x.ExecutionArn)
			if err != nil {
				t.Fatal(err)
			}
			by := strings.TrimSuffix(strings.TrimPrefix(d.Input, `{"by":"`), `"}`)
			got[by]++
		}
		if equalCounts(got, want) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("runs by schedule = %v, want %v", got, want)
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestCorruptRulesAndSchedulesAreRefused: a rule or schedule record that
// does not read back stops the start with an error naming it and the
// state file, the record left as it was (docs/durability.md §3).
func TestCorruptRulesAndSchedulesAreRefused(t *testing.T) {
	cases := []struct {
		name, bucket, key, value, want string
	}{
		{"rule not json", "events-rules", "rule/r", "{not json", "restore eventbridge rules"},
		{"rule pattern", "events-rules", "rule/r", `{"Rule":{"Name":"r","EventPattern":"{\"source\":\"x\"}"}}`, "restore eventbridge rules"},
		{"schedule not json", "scheduler", "schedule/default/s", "{not json", "restore schedules"},
		{"schedule expression", "scheduler", "schedule/default/s",
			`{"Schedule":{"Name":"s","GroupName":"default","ScheduleExpression":"every day"}}`, "restore schedules"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, StateFile)
			st, err := store.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := st.Apply(store.Put(tc.bucket, tc.key, []byte(tc.value))); err != nil {
				t.Fatal(err)
			}
			st.Close()
			_, err = New(Config{DataDir: dir, Durable: true, Logger: slog.New(slog.DiscardHandler)})
			if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tc.want) ||
				!strings.Contains(err.Error(), tc.bucket+"/"+tc.key) {
				t.Fatalf("New = %v, want an error naming %q, the record and %s", err, tc.want, path)
			}
			if st, err = store.Open(path); err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if v, ok, err := st.Get(tc.bucket, tc.key); !ok || err != nil || string(v) != tc.value {
				t.Errorf("the unreadable record was changed: %q %v %v", v, ok, err)
			}
		})
	}
}

// TestResumedExecutionEndsAfterRestart: an execution whose Wait came due
// while the emulator was down ends at once when it starts again, and its
// status change, sent to EventBridge, finds the event buses in place
// (restored executions resume once the emulator is built).
func TestResumedExecutionEndsAfterRestart(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	t0 := time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC)
	e := startOnClock(t, dir, clock.NewFake(t0))
	sm, err := sfnClient(e).CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("Waits"),
		Definition: aws.String(`{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,"End":true}}}`),
		RoleArn:    aws.String("arn:aws:iam::123456789012:role/r")})
	if err != nil {
		e.Close()
		t.Fatal(err)
	}
	run, err := sfnClient(e).StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn})
	if err != nil {
		e.Close()
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}

	e = startOnClock(t, dir, clock.NewFake(t0.Add(time.Minute)))
	defer e.Close()
	for deadline := time.Now().Add(5 * time.Second); ; {
		d, err := e.SFN.DescribeExecution(ctx, aws.ToString(run.ExecutionArn))
		if err != nil {
			t.Fatal(err)
		}
		if d.Status == "SUCCEEDED" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("status %s after the restart, want SUCCEEDED", d.Status)
		}
		time.Sleep(time.Millisecond)
	}
}
