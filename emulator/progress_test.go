package emulator_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iotdataplane"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"

	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/internal/jobwire"
)

// progressMachine is a Task with HeartbeatSeconds 3 whose job is a sleep
// that asks the worker for no heartbeats: only its progress reports can
// keep the task alive.
const progressMachine = `{"StartAt":"Job","States":{"Job":{"Type":"Task",
	"Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","HeartbeatSeconds":3,
	"Parameters":{"FunctionName":"SendToWorkerFunction","Payload":{"Input.$":"$","TaskToken.$":"$$.Task.Token",
		"executionArn.$":"$$.Execution.Id","jobType":"sleep"}},"End":true}}}`

// A progress report counts as a heartbeat: the worker's sleep job reports
// every virtual second, the template's progress rule (SELECT * FROM
// '<LambdaTopic>/progress/#' WHERE kind = 'progress') hands each report
// to the complete Lambda, which calls SendTaskHeartbeat, and a 10 s job
// outlives its 3 s HeartbeatSeconds (docs/step-functions.md §3.3 C). The
// report is retained on the job's progress topic while the job runs and
// cleared when it ends.
func TestProgressCountsAsHeartbeat(t *testing.T) {
	var logs lockedLog
	srv := emulatortest.New(t, emulatortest.WithTemplate(templatePath), emulatortest.WithFakeClock(),
		emulatortest.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	startWorker(t, srv)
	c := sfn.NewFromConfig(srv.AWSConfig())
	arn := start(t, c, aws.ToString(createMachine(t, c, "progress", progressMachine)), `{"seconds":10}`)
	heartbeats := func() int { return strings.Count(logs.String(), `"hop":"callback","op":"SendTaskHeartbeat"`) }

	data := iotdataplane.NewFromConfig(srv.AWSConfig())
	var topic string
	for i := 0; i < 10; i++ {
		if i > 0 {
			srv.Clock.Advance(time.Second)
		}
		pollFor(t, fmt.Sprintf("progress heartbeat %d (have %%d)", i+1), func() bool { return heartbeats() == i+1 }, heartbeats)
		if i == 5 {
			topic = retainedProgressTopic(t, data, arn)
			m, err := data.GetRetainedMessage(context.Background(), &iotdataplane.GetRetainedMessageInput{Topic: aws.String(topic)})
			if err != nil {
				t.Fatal(err)
			}
			r, err := jobwire.ParseResult(m.Payload)
			if err != nil || r.Kind != jobwire.KindProgress || r.ExecutionArn != arn {
				t.Fatalf("retained %s: %+v, %v", m.Payload, r, err)
			}
			if p, ok := jobwire.ReadProgressReport(r.Progress); !ok || *p.Percent != 50 || p.Message != "slept 5s of 10s" {
				t.Fatalf("retained report %s, want 50%% slept 5s of 10s", r.Progress)
			}
		}
	}
	srv.Clock.Advance(time.Second)
	d := waitDone(t, c, arn)
	if d.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("status %s error %q cause %q, want SUCCEEDED", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
	}
	completes := func(kind string) int {
		return strings.Count(logs.String(), `"hop":"complete","op":"SendTaskHeartbeat","kind":"`+kind+`"`)
	}
	if n, p := completes("heartbeat"), completes("progress"); n != 0 || p < 10 {
		t.Fatalf("the complete Lambda saw %d heartbeats and %d progress reports, want 0 and at least 10", n, p)
	}
	pollFor(t, "the progress to be cleared", func() bool {
		_, err := data.GetRetainedMessage(context.Background(), &iotdataplane.GetRetainedMessageInput{Topic: aws.String(topic)})
		var api smithy.APIError
		return errors.As(err, &api) && api.ErrorCode() == "ResourceNotFoundException"
	})
}

// retainedProgressTopic finds the one retained progress topic of the
// execution arn with ListRetainedMessages.
func retainedProgressTopic(t *testing.T, data *iotdataplane.Client, arn string) string {
	t.Helper()
	out, err := data.ListRetainedMessages(context.Background(), &iotdataplane.ListRetainedMessagesInput{})
	if err != nil {
		t.Fatal(err)
	}
	var topics []string
	for _, m := range out.RetainedTopics {
		if strings.HasPrefix(aws.ToString(m.Topic), jobwire.ProgressPrefix("tenant1/to/lambda", arn)) {
			topics = append(topics, aws.ToString(m.Topic))
		}
	}
	if len(topics) != 1 {
		t.Fatalf("retained progress topics %q, want one", topics)
	}
	return topics[0]
}

// pollFor polls cond until it holds, failing t after 30 s (a deadline for
// a loaded machine, not a speed bar); what may hold a %d that the
// optional counts fill in the failure message.
func pollFor(t *testing.T, what string, cond func() bool, counts ...func() int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			args := make([]any, len(counts))
			for i, c := range counts {
				args[i] = c()
			}
			t.Fatalf("timed out waiting for "+what, args...)
		}
		time.Sleep(time.Millisecond) // polling interval, not synchronisation
	}
}
