package dispatch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iotdataplane"
)

// fakePublisher records published messages and answers with err.
type fakePublisher struct {
	topics   []string
	qos      []int32
	payloads []string
	err      error
}

func (f *fakePublisher) Publish(_ context.Context, in *iotdataplane.PublishInput, _ ...func(*iotdataplane.Options)) (*iotdataplane.PublishOutput, error) {
	f.topics = append(f.topics, aws.ToString(in.Topic))
	f.qos = append(f.qos, in.Qos)
	f.payloads = append(f.payloads, string(in.Payload))
	if f.err != nil {
		return nil, f.err
	}
	return &iotdataplane.PublishOutput{}, nil
}

func TestHandle(t *testing.T) {
	tests := []struct {
		name      string
		event     string
		pubErr    error
		published bool
		wantErr   string
	}{
		{
			name:      "sample job",
			event:     `{"Input":{"a":15,"b":42},"TaskToken":"tok"}`,
			published: true,
		},
		{
			name:      "extra fields pass through",
			event:     `{"Input":{"a":1},"TaskToken":"tok","jobType":"add","jobId":"j1","heartbeatSeconds":30,"executionArn":"arn:aws:states:us-east-1:123456789012:execution:sm:e"}`,
			published: true,
		},
		{
			name:      "publish failure fails the task",
			event:     `{"Input":{},"TaskToken":"tok"}`,
			pubErr:    errors.New("throttled"),
			published: true,
			wantErr:   "throttled",
		},
		{name: "no token", event: `{"Input":{}}`, wantErr: "no TaskToken"},
		{name: "not an object", event: `[1,2]`, wantErr: "not a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			f := &fakePublisher{err: tt.pubErr}
			h := New(f, "tenant1/to/worker", slog.New(slog.NewJSONHandler(&logs, nil)))
			resp, err := h.Handle(context.Background(), json.RawMessage(tt.event))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Handle error = %v, want one containing %q", err, tt.wantErr)
				}
			} else if err != nil {
				t.Fatalf("Handle: %v", err)
			}
			if got := len(f.payloads) == 1; got != tt.published {
				t.Fatalf("published %d messages, want published=%v", len(f.payloads), tt.published)
			}
			if !tt.published {
				return
			}
			if f.topics[0] != "tenant1/to/worker" || f.qos[0] != 1 || f.payloads[0] != tt.event {
				t.Errorf("published topic %q qos %d payload %s", f.topics[0], f.qos[0], f.payloads[0])
			}
			if tt.wantErr != "" {
				return
			}
			if resp.StatusCode != 200 {
				t.Errorf("status = %d, want 200", resp.StatusCode)
			}
			if !strings.Contains(logs.String(), `"hop":"dispatch-publish"`) {
				t.Errorf("no hop line in logs: %s", logs.String())
			}
		})
	}
}

func TestHandleThroughLambdaHandler(t *testing.T) {
	f := &fakePublisher{}
	h := lambda.NewHandler(New(f, "w", slog.New(slog.NewTextHandler(io.Discard, nil))).Handle)
	out, err := h.Invoke(context.Background(), []byte(`{"Input":{"a":15,"b":42},"TaskToken":"tok"}`))
	if err != nil {
		t.Fatalf("Invoke: %v", err)
	}
	var resp Response
	if err := json.Unmarshal(out, &resp); err != nil || resp.StatusCode != 200 {
		t.Fatalf("Invoke output = %s (%v)", out, err)
	}
	if len(f.payloads) != 1 || f.payloads[0] != `{"Input":{"a":15,"b":42},"TaskToken":"tok"}` {
		t.Fatalf("payloads = %q", f.payloads)
	}
}
