package sfnapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"io"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/sfnemu"
	"github.com/stepwire/stepwire/internal/clock"
	"github.com/stepwire/stepwire/internal/sdkretry"
)

// sampleDefinition is the callback machine of the on-premises jobs sample.
const sampleDefinition = `{"StartAt":"Dispatch Job to On-Premises","States":{"Dispatch Job to On-Premises":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","Parameters":{"FunctionName":"arn:aws:lambda:us-east-1:123456789012:function:dispatch","Payload":{"Input.$":"$","TaskToken.$":"$$.Task.Token"}},"Retry":[{"ErrorEquals":["Lambda.ServiceException","Lambda.AWSLambdaException","Lambda.SdkClientException","Lambda.TooManyRequestsException"],"IntervalSeconds":2,"MaxAttempts":6,"BackoffRate":2}],"End":true,"ResultPath":"$.lambdaOutput"}}}`

const passDefinition = `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"v":2},"End":true}}}`

const roleArn = "arn:aws:iam::123456789012:role/StatesRole"

// harness is a Service behind Handler on a real HTTP server, a real SDK
// client and a fake clock. Its Lambda functions answer {}.
type harness struct {
	t      *testing.T
	svc    *sfnemu.Service
	client *sfn.Client
	url    string
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{t: t}
	h.svc = sfnemu.New(sfnemu.Config{Clock: clock.NewFake(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)),
		Invoke: func(context.Context, string, []byte) (sfnemu.InvokeResult, error) {
			return sfnemu.InvokeResult{Payload: []byte(`{}`)}, nil
		}})
	r := awsapi.NewRouter()
	r.HandleTarget("AWSStepFunctions", Handler(h.svc))
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

func (h *harness) createMachine(name, definition string) string {
	h.t.Helper()
	out, err := h.client.CreateStateMachine(context.Background(), &sfn.CreateStateMachineInput{
		Name: aws.String(name), Definition: aws.String(definition), RoleArn: aws.String(roleArn)})
	require.NoError(h.t, err)
	return aws.ToString(out.StateMachineArn)
}

func (h *harness) createActivity(name string) string {
	h.t.Helper()
	out, err := h.client.CreateActivity(context.Background(), &sfn.CreateActivityInput{Name: aws.String(name)})
	require.NoError(h.t, err)
	return aws.ToString(out.ActivityArn)
}

// requireAPIError checks an AWS error code and exact message.
func requireAPIError(t *testing.T, err error, code, message string) {
	t.Helper()
	var ae smithy.APIError
	require.True(t, errors.As(err, &ae), "want %s, got %v", code, err)
	require.Equal(t, code, ae.ErrorCode())
	require.Equal(t, message, ae.ErrorMessage())
}

// raw posts an awsJson1_0 request the SDK would refuse to send (it checks
// required members itself) and returns the error body's __type and message.
func (h *harness) raw(op, body string) (typ, message string) {
	h.t.Helper()
	_, b := h.rawBody(op, body)
	var out struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	require.NoError(h.t, json.Unmarshal([]byte(b), &out))
	return out.Type, out.Message
}

// rawBody posts an awsJson1_0 request and returns the status and body.
func (h *harness) rawBody(op, body string) (int, string) {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.url, strings.NewReader(body))
	require.NoError(h.t, err)
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "AWSStepFunctions."+op)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(h.t, err)
	defer resp.Body.Close()
	var sb strings.Builder
	_, err = io.Copy(&sb, resp.Body)
	require.NoError(h.t, err)
	return resp.StatusCode, sb.String()
}
