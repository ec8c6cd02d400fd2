package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iotdataplane"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/worker"
)

// sleepMachine runs the worker's sleep job, with the execution's ARN in
// the job so that its progress names it.
const sleepMachine = `{"StartAt":"Job","States":{"Job":{"Type":"Task",
	"Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
	"Parameters":{"FunctionName":"SendToWorkerFunction","Payload":{"Input.$":"$","TaskToken.$":"$$.Task.Token",
		"executionArn.$":"$$.Execution.Id","jobType":"sleep","jobId":"nap-1"}},"End":true}}}`

// startSleep starts an emulator (on a fake clock if fake) with the sample
// worker and an execution of a sleep job of input.
func startSleep(t *testing.T, input string, opts ...emulatortest.Option) (*emulatortest.Server, string) {
	t.Helper()
	srv := emulatortest.New(t, append([]emulatortest.Option{emulatortest.WithTemplate("../../template.yaml")}, opts...)...)
	srv.StartWorker(worker.Config{ClientID: "mqtt-container-client", SubscribeTopic: "tenant1/to/worker",
		SubmitTopic: "tenant1/to/lambda"}, "OnPremContainer", worker.DefaultHandler())
	c := sfn.NewFromConfig(srv.AWSConfig())
	ctx := context.Background()
	sm, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("sleep"),
		Definition: aws.String(sleepMachine), RoleArn: aws.String("arn:aws:iam::123456789012:role/r")})
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: aws.String(input)})
	if err != nil {
		t.Fatal(err)
	}
	return srv, aws.ToString(out.ExecutionArn)
}

// waitProgress polls the execution's progress until one task's text
// contains want.
func waitProgress(t *testing.T, srv *emulatortest.Server, arn, want string) {
	t.Helper()
	src := newRetainedSource(iotdataplane.NewFromConfig(srv.AWSConfig()), defaultResultsTopic, arn)
	deadline := time.Now().Add(10 * time.Second)
	for {
		ps, err := src.Snapshot(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) == 1 && strings.Contains(progressText(ps[0]), want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no progress %q within 10s (have %+v)", want, ps)
		}
		time.Sleep(2 * time.Millisecond) // polling interval, not synchronisation
	}
}

// stepwire progress prints one line per running task: its reference, job
// id, bar, percent, message and the report's age.
func TestProgressCommandShowsARunningSleepJob(t *testing.T) {
	srv, arn := startSleep(t, `{"seconds":10}`, emulatortest.WithFakeClock())
	waitProgress(t, srv, arn, "slept 0s of 10s")
	for i := 1; i <= 3; i++ {
		srv.Clock.Advance(time.Second)
		waitProgress(t, srv, arn, "slept "+string(rune('0'+i))+"s of 10s")
	}
	var out bytes.Buffer
	if err := progressTo(context.Background(), &out, []string{"--endpoint", srv.Endpoints().HTTP, arn}); err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile(`^[0-9a-f]{12}  nap-1  \[######              \]  30\.0% slept 3s of 10s  \(\S+ ago\)\n$`)
	if !line.MatchString(out.String()) {
		t.Fatalf("output %q does not match %s", out.String(), line)
	}

	out.Reset()
	other := strings.Replace(arn, ":sleep:", ":other:", 1)
	if err := progressTo(context.Background(), &out, []string{"--endpoint", srv.Endpoints().HTTP, other}); err != nil {
		t.Fatal(err)
	}
	if want := "no running task of " + other + " reports progress\n"; out.String() != want {
		t.Fatalf("output %q, want %q", out.String(), want)
	}
}

func TestProgressCommandNeedsAnExecutionArn(t *testing.T) {
	for _, args := range [][]string{nil, {"exec-name"}, {"arn:a", "arn:b"}} {
		err := progressTo(context.Background(), io.Discard, append([]string{"--endpoint", "http://127.0.0.1:1"}, args...))
		if err == nil || !strings.Contains(err.Error(), "give one execution ARN") {
			t.Errorf("args %q: err = %v", args, err)
		}
	}
}

// stepwire run, its stderr not a terminal, prints a plain line each time
// the job's progress changes, and nothing else on stderr.
func TestRunPrintsProgressLinesWhenNotATerminal(t *testing.T) {
	srv, _ := startSleep(t, `{"seconds":0}`)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := os.Stderr
	os.Stderr = w
	defer func() { os.Stderr = stderr }()
	errc := make(chan error, 1)
	go func() {
		errc <- runExecution(context.Background(), []string{"--endpoint", srv.Endpoints().HTTP, "--state-machine", "sleep",
			"--input", `{"seconds":3}`})
		w.Close()
	}()
	got, _ := io.ReadAll(r)
	os.Stderr = stderr
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(got), "\n"), "\n")
	line := regexp.MustCompile(`^\d\d:\d\d:\d\d\.\d{3}  progress [0-9a-f]{12}  (\[#*\s*\] +\d+\.\d% slept [0-9.]+s of 3s|ended)$`)
	seen := map[string]bool{}
	for _, l := range lines {
		if !line.MatchString(l) {
			t.Fatalf("stderr line %q does not match %s\nstderr:\n%s", l, line, got)
		}
		if text := l[len("15:04:05.000  "):]; seen[text] {
			t.Fatalf("line %q printed twice; lines only come when the progress changes", text)
		} else {
			seen[text] = true
		}
	}
}
