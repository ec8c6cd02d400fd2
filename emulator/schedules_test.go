package emulator_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/scheduler"
	schedtypes "github.com/aws/aws-sdk-go-v2/service/scheduler/types"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/smithy-go"

	"github.com/stepwire/stepwire/emulator/emulatortest"
)

const nightlyTemplate = `
Transform: AWS::Serverless-2016-10-31
Resources:
  NightlyJob:
    Type: AWS::Serverless::StateMachine
    Properties:
      Name: NightlyJob
      Definition: {StartAt: Done, States: {Done: {Type: Pass, End: true}}}
      Events:
        Nightly:
          Type: ScheduleV2
          Properties:
            ScheduleExpression: cron(0 2 * * ? *)
            ScheduleExpressionTimezone: Europe/Paris
            Input: '{"job":"nightly"}'
        Hourly:
          Type: Schedule
          Properties:
            Schedule: rate(1 hour)
`

// TestNightlyJobOnVirtualTime: a state machine's ScheduleV2 and Schedule
// events start executions on the emulator's clock (docs/eventbridge.md
// §8), so three nights pass in milliseconds; the schedule is visible to
// ListSchedules like one deployed by CloudFormation.
func TestNightlyJobOnVirtualTime(t *testing.T) {
	if _, err := time.LoadLocation("Europe/Paris"); err != nil {
		t.Skip(err)
	}
	path := filepath.Join(t.TempDir(), "template.yaml")
	if err := os.WriteFile(path, []byte(nightlyTemplate), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := emulatortest.New(t, emulatortest.WithTemplate(path), emulatortest.WithFakeClock())
	ctx := context.Background()
	c := sfn.NewFromConfig(srv.AWSConfig())
	machine := "arn:aws:states:us-east-1:123456789012:stateMachine:NightlyJob"
	var nightly, hourly int
	for day := 0; day < 3; day++ { // a day at a time: closed executions are kept 24 h
		from := srv.Clock.Now()
		srv.Clock.Advance(24 * time.Hour)
		n, h := countRuns(t, c, machine, from)
		nightly, hourly = nightly+n, hourly+h
	}
	if nightly != 3 || hourly != 72 {
		t.Fatalf("%d nightly and %d hourly runs in 72 h, want 3 and 72", nightly, hourly)
	}
	sc := scheduler.NewFromConfig(srv.AWSConfig())
	list, err := sc.ListSchedules(ctx, &scheduler.ListSchedulesInput{})
	if err != nil || len(list.Schedules) != 1 || aws.ToString(list.Schedules[0].Name) != "NightlyJobNightly" ||
		aws.ToString(list.Schedules[0].Target.Arn) != machine {
		t.Fatalf("ListSchedules = %+v, %v", list, err)
	}
}

// countRuns counts the machine's executions started after from, by input:
// the nightly schedule's and the hourly rule's Scheduled Events.
func countRuns(t *testing.T, c *sfn.Client, machine string, from time.Time) (nightly, hourly int) {
	ctx := context.Background()
	p := sfn.NewListExecutionsPaginator(c, &sfn.ListExecutionsInput{StateMachineArn: aws.String(machine)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, ex := range page.Executions {
			if !ex.StartDate.After(from) {
				continue
			}
			out, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: ex.ExecutionArn})
			if err != nil {
				t.Fatal(err)
			}
			var in map[string]any
			_ = json.Unmarshal([]byte(aws.ToString(out.Input)), &in)
			switch {
			case in["job"] == "nightly":
				nightly++
				if h := out.StartDate.In(mustZone(t, "Europe/Paris")).Hour(); h != 2 {
					t.Errorf("nightly run at %v, want 02:00 in Paris", out.StartDate)
				}
			case in["detail-type"] == "Scheduled Event":
				hourly++
			}
		}
	}
	return nightly, hourly
}

func mustZone(t *testing.T, name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestSchedulerAPI: CreateSchedule, GetSchedule, ListSchedules and
// DeleteSchedule through the SDK (restJson, signing name scheduler), a
// one-time schedule's run and AWS's errors (docs/eventbridge.md §7).
func TestSchedulerAPI(t *testing.T) {
	srv := emulatortest.New(t, emulatortest.WithFakeClock())
	ctx := context.Background()
	c := sfn.NewFromConfig(srv.AWSConfig())
	m, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("Once"),
		Definition: aws.String(`{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`),
		RoleArn:    aws.String("arn:aws:iam::123456789012:role/r")})
	if err != nil {
		t.Fatal(err)
	}
	sc := scheduler.NewFromConfig(srv.AWSConfig())
	at := srv.Clock.Now().Add(90 * time.Minute).UTC().Format("2006-01-02T15:04:05")
	out, err := sc.CreateSchedule(ctx, &scheduler.CreateScheduleInput{Name: aws.String("once"),
		ScheduleExpression: aws.String("at(" + at + ")"), FlexibleTimeWindow: &schedtypes.FlexibleTimeWindow{Mode: schedtypes.FlexibleTimeWindowModeOff},
		Target: &schedtypes.Target{Arn: m.StateMachineArn, RoleArn: aws.String("arn:aws:iam::123456789012:role/r"),
			Input: aws.String(`{"when":"<aws.scheduler.scheduled-time>"}`)}})
	if err != nil || aws.ToString(out.ScheduleArn) != "arn:aws:scheduler:us-east-1:123456789012:schedule/default/once" {
		t.Fatalf("CreateSchedule = %+v, %v", out, err)
	}
	got, err := sc.GetSchedule(ctx, &scheduler.GetScheduleInput{Name: aws.String("once")})
	if err != nil || aws.ToString(got.ScheduleExpression) != "at("+at+")" || got.State != schedtypes.ScheduleStateEnabled ||
		got.CreationDate == nil || !got.CreationDate.Equal(srv.Clock.Now().Truncate(time.Millisecond)) {
		t.Fatalf("GetSchedule = %+v, %v", got, err)
	}
	srv.Clock.Advance(2 * time.Hour)
	execs, err := c.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: m.StateMachineArn})
	if err != nil || len(execs.Executions) != 1 {
		t.Fatalf("executions after the at() time: %+v, %v", execs, err)
	}
	_, err = sc.CreateSchedule(ctx, &scheduler.CreateScheduleInput{Name: aws.String("bad"),
		ScheduleExpression: aws.String("cron(0 1 * * * *)"), FlexibleTimeWindow: &schedtypes.FlexibleTimeWindow{Mode: schedtypes.FlexibleTimeWindowModeOff},
		Target: &schedtypes.Target{Arn: m.StateMachineArn, RoleArn: aws.String("arn:aws:iam::123456789012:role/r")}})
	requireCode(t, err, "ValidationException", "Invalid Schedule Expression cron(0 1 * * * *).")
	if _, err := sc.DeleteSchedule(ctx, &scheduler.DeleteScheduleInput{Name: aws.String("once")}); err != nil {
		t.Fatal(err)
	}
	_, err = sc.GetSchedule(ctx, &scheduler.GetScheduleInput{Name: aws.String("once")})
	requireCode(t, err, "ResourceNotFoundException", "Schedule once does not exist.")
}

func requireCode(t *testing.T, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code || ae.ErrorMessage() != msg {
		t.Fatalf("err = %v, want %s: %s", err, code, msg)
	}
}
