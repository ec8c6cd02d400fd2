package complete

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/google/go-cmp/cmp"

	"github.com/stepwire/stepwire/internal/sfncallback"
)

// call is one recorded Step Functions call.
type call struct {
	Op, Token, Output, Error, Cause string
}

// fakeSFN records calls and answers each with err.
type fakeSFN struct {
	calls []call
	err   error
}

func (f *fakeSFN) SendTaskSuccess(_ context.Context, in *sfn.SendTaskSuccessInput, _ ...func(*sfn.Options)) (*sfn.SendTaskSuccessOutput, error) {
	f.calls = append(f.calls, call{Op: OpSuccess, Token: aws.ToString(in.TaskToken), Output: aws.ToString(in.Output)})
	return &sfn.SendTaskSuccessOutput{}, f.err
}

func (f *fakeSFN) SendTaskFailure(_ context.Context, in *sfn.SendTaskFailureInput, _ ...func(*sfn.Options)) (*sfn.SendTaskFailureOutput, error) {
	f.calls = append(f.calls, call{Op: OpFailure, Token: aws.ToString(in.TaskToken), Error: aws.ToString(in.Error), Cause: aws.ToString(in.Cause)})
	return &sfn.SendTaskFailureOutput{}, f.err
}

func (f *fakeSFN) SendTaskHeartbeat(_ context.Context, in *sfn.SendTaskHeartbeatInput, _ ...func(*sfn.Options)) (*sfn.SendTaskHeartbeatOutput, error) {
	f.calls = append(f.calls, call{Op: OpHeartbeat, Token: aws.ToString(in.TaskToken)})
	return &sfn.SendTaskHeartbeatOutput{}, f.err
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestHandle(t *testing.T) {
	tests := []struct {
		name    string
		event   string
		sfnErr  error
		want    []call
		wantErr bool
	}{
		{
			name:  "success wraps the result",
			event: `{"TaskToken":"t1","result":57}`,
			want:  []call{{Op: OpSuccess, Token: "t1", Output: `{"result":57}`}},
		},
		{
			name:  "success with an object result",
			event: `{"TaskToken":"t1","result":{"rows":[1,2]}}`,
			want:  []call{{Op: OpSuccess, Token: "t1", Output: `{"result":{"rows":[1,2]}}`}},
		},
		{
			name:  "success without a result",
			event: `{"TaskToken":"t1"}`,
			want:  []call{{Op: OpSuccess, Token: "t1", Output: `{"result":null}`}},
		},
		{
			name:  "error field is a failure",
			event: `{"TaskToken":"t2","error":"InvalidInput","cause":"field a is not a number"}`,
			want:  []call{{Op: OpFailure, Token: "t2", Error: "InvalidInput", Cause: "field a is not a number"}},
		},
		{
			// The sample's worker sends {"result": null, "exception": "..."} and
			// the sample's Lambda reported it with SendTaskSuccess; stepwire
			// reports it as the failure it is.
			name:  "sample exception field is a failure, not a success",
			event: `{"TaskToken":"t3","result":null,"exception":"TypeError"}`,
			want:  []call{{Op: OpFailure, Token: "t3", Error: "TypeError"}},
		},
		{
			name:  "heartbeat",
			event: `{"TaskToken":"t4","kind":"heartbeat"}`,
			want:  []call{{Op: OpHeartbeat, Token: "t4"}},
		},
		{
			name:  "progress is a heartbeat",
			event: `{"TaskToken":"t5","kind":"progress","progress":{"pct":50}}`,
			want:  []call{{Op: OpHeartbeat, Token: "t5"}},
		},
		{
			name:  "progress report with execution and job is a heartbeat",
			event: `{"version":1,"TaskToken":"t5","kind":"progress","progress":{"percent":40,"message":"m"},"executionArn":"arn:aws:states:us-east-1:123456789012:execution:sm:e","jobId":"j"}`,
			want:  []call{{Op: OpHeartbeat, Token: "t5"}},
		},
		{name: "progress without a report is dropped", event: `{"TaskToken":"t5","kind":"progress"}`},
		{
			name:   "progress for a finished task is swallowed",
			event:  `{"TaskToken":"t5","kind":"progress","progress":1}`,
			sfnErr: &types.TaskTimedOut{Message: aws.String("gone")},
			want:   []call{{Op: OpHeartbeat, Token: "t5"}},
		},
		{name: "no token is dropped", event: `{"result":57}`},
		{name: "not json is dropped", event: `hello`},
		{name: "unknown kind is dropped", event: `{"TaskToken":"t","kind":"other"}`},
		{
			name:   "TaskTimedOut is swallowed",
			event:  `{"TaskToken":"t6","result":57}`,
			sfnErr: &types.TaskTimedOut{Message: aws.String("gone")},
			want:   []call{{Op: OpSuccess, Token: "t6", Output: `{"result":57}`}},
		},
		{
			name:   "InvalidToken is swallowed",
			event:  `{"TaskToken":"t7","kind":"heartbeat"}`,
			sfnErr: &types.InvalidToken{Message: aws.String("bad")},
			want:   []call{{Op: OpHeartbeat, Token: "t7"}},
		},
		{
			name:    "other errors are returned",
			event:   `{"TaskToken":"t8","error":"E"}`,
			sfnErr:  errors.New("connection refused"),
			want:    []call{{Op: OpFailure, Token: "t8", Error: "E"}},
			wantErr: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeSFN{err: tt.sfnErr}
			err := New(f, discard()).Handle(context.Background(), json.RawMessage(tt.event))
			if (err != nil) != tt.wantErr {
				t.Fatalf("Handle error = %v, wantErr %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, f.calls); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHandleTruncatesFailureFields(t *testing.T) {
	f := &fakeSFN{}
	event, err := json.Marshal(map[string]string{
		"TaskToken": "t", "error": strings.Repeat("é", 200), "cause": strings.Repeat("x", 40000),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := New(f, discard()).Handle(context.Background(), event); err != nil {
		t.Fatal(err)
	}
	got := f.calls[0]
	if len(got.Error) != sfncallback.MaxErrorLen || len(got.Cause) != sfncallback.MaxCauseLen {
		t.Fatalf("error len %d, cause len %d; want %d, %d", len(got.Error), len(got.Cause), sfncallback.MaxErrorLen, sfncallback.MaxCauseLen)
	}
	if !strings.HasSuffix(got.Error, "é") {
		t.Fatalf("error was cut inside a character: %q", got.Error[len(got.Error)-4:])
	}
}

func TestHandleThroughLambdaHandler(t *testing.T) {
	f := &fakeSFN{}
	h := lambda.NewHandler(New(f, discard()).Handle)
	out, err := h.Invoke(context.Background(), []byte(`{"TaskToken":"t","result":57}`))
	if err != nil {
		t.Fatalf("Invoke: %v", err)
	}
	if string(out) != "null" {
		t.Errorf("Invoke output = %s, want null", out)
	}
	if len(f.calls) != 1 || f.calls[0].Output != `{"result":57}` {
		t.Fatalf("calls = %+v", f.calls)
	}
}
