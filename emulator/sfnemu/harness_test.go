package sfnemu

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/internal/clock"
	"github.com/stepwire/stepwire/internal/sdkretry"
)

// sampleDefinition is the callback machine of the on-premises jobs sample.
const sampleDefinition = `{"StartAt":"Dispatch Job to On-Premises","States":{"Dispatch Job to On-Premises":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","Parameters":{"FunctionName":"arn:aws:lambda:us-east-1:123456789012:function:dispatch","Payload":{"Input.$":"$","TaskToken.$":"$$.Task.Token"}},"Retry":[{"ErrorEquals":["Lambda.ServiceException","Lambda.AWSLambdaException","Lambda.SdkClientException","Lambda.TooManyRequestsException"],"IntervalSeconds":2,"MaxAttempts":6,"BackoffRate":2}],"End":true,"ResultPath":"$.lambdaOutput"}}}`

const roleArn = "arn:aws:iam::123456789012:role/StatesRole"

// job is what the dispatch function received.
type job struct {
	Function string
	Input    json.RawMessage `json:"Input"`
	Token    string          `json:"TaskToken"`
}

// harness is a Service behind a real HTTP server, a real SDK client, a
// fake clock and a dispatch function that hands out the jobs it gets.
type harness struct {
	t      *testing.T
	clk    *clock.Fake
	svc    *Service
	client *sfn.Client
	url    string
	jobs   chan job
	invoke func(ctx context.Context, function string, payload []byte) (InvokeResult, error)
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{t: t, clk: clock.NewFake(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)), jobs: make(chan job, 64)}
	h.invoke = h.dispatch
	h.svc = New(Config{Clock: h.clk, Invoke: func(ctx context.Context, fn string, p []byte) (InvokeResult, error) {
		return h.invoke(ctx, fn, p)
	}})
	r := awsapi.NewRouter()
	r.HandleTarget("AWSStepFunctions", WireHandler(h.svc))
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	h.url = srv.URL
	t.Cleanup(h.svc.Close)
	h.client = sfn.NewFromConfig(aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		Retryer:     sdkretry.OnClosedConn,
	}, func(o *sfn.Options) { o.BaseEndpoint = aws.String(srv.URL) })
	return h
}

// dispatch is the default function: it records the job and returns.
func (h *harness) dispatch(_ context.Context, function string, payload []byte) (InvokeResult, error) {
	var j job
	if err := json.Unmarshal(payload, &j); err != nil {
		return InvokeResult{}, err
	}
	j.Function = function
	h.jobs <- j
	return InvokeResult{Payload: []byte(`{"published":true}`)}, nil
}

func (h *harness) createMachine(name, definition string) string {
	h.t.Helper()
	out, err := h.client.CreateStateMachine(context.Background(), &sfn.CreateStateMachineInput{
		Name: aws.String(name), Definition: aws.String(definition), RoleArn: aws.String(roleArn)})
	require.NoError(h.t, err)
	return aws.ToString(out.StateMachineArn)
}

func (h *harness) start(smArn, input string) string {
	h.t.Helper()
	out, err := h.client.StartExecution(context.Background(), &sfn.StartExecutionInput{
		StateMachineArn: aws.String(smArn), Input: aws.String(input)})
	require.NoError(h.t, err)
	return aws.ToString(out.ExecutionArn)
}

// nextJob waits for the dispatch function's next job.
func (h *harness) nextJob() job {
	h.t.Helper()
	select {
	case j := <-h.jobs:
		return j
	case <-time.After(5 * time.Second):
		h.t.Fatal("no job dispatched within 5s")
		return job{}
	}
}

// waitStatus polls DescribeExecution until the execution has the status.
func (h *harness) waitStatus(arn string, status types.ExecutionStatus) *sfn.DescribeExecutionOutput {
	h.t.Helper()
	var out *sfn.DescribeExecutionOutput
	require.Eventually(h.t, func() bool {
		var err error
		out, err = h.client.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		require.NoError(h.t, err)
		return out.Status == status
	}, 5*time.Second, time.Millisecond, "execution never reached %s", status)
	return out
}

// history returns every event of an execution.
func (h *harness) history(arn string) []types.HistoryEvent {
	h.t.Helper()
	out, err := h.client.GetExecutionHistory(context.Background(), &sfn.GetExecutionHistoryInput{
		ExecutionArn: aws.String(arn), MaxResults: 1000})
	require.NoError(h.t, err)
	return out.Events
}

func eventTypes(events []types.HistoryEvent) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = string(e.Type)
	}
	return out
}

// requireAPIError checks an AWS error code and exact message.
func requireAPIError(t *testing.T, err error, code, message string) {
	t.Helper()
	var ae smithy.APIError
	require.True(t, errors.As(err, &ae), "want %s, got %v", code, err)
	require.Equal(t, code, ae.ErrorCode())
	require.Equal(t, message, ae.ErrorMessage())
}
