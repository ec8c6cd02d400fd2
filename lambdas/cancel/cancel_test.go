package cancel

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iotdataplane"

	"github.com/stepwire/stepwire/internal/jobwire"
)

type fakePublisher struct {
	topics, payloads []string
	err              error
}

func (f *fakePublisher) Publish(_ context.Context, in *iotdataplane.PublishInput, _ ...func(*iotdataplane.Options)) (*iotdataplane.PublishOutput, error) {
	f.topics = append(f.topics, aws.ToString(in.Topic))
	f.payloads = append(f.payloads, string(in.Payload))
	return &iotdataplane.PublishOutput{}, f.err
}

const execArn = "arn:aws:states:us-east-1:123456789012:execution:sm:e1"

func statusEvent(status, extra string) events.CloudWatchEvent {
	return events.CloudWatchEvent{Source: Source, DetailType: DetailType, Resources: []string{execArn},
		Detail: json.RawMessage(`{"executionArn":"` + execArn + `","status":"` + status + `"` + extra + `}`)}
}

func TestHandle(t *testing.T) {
	tests := []struct {
		name    string
		ev      events.CloudWatchEvent
		pubErr  error
		want    *jobwire.Cancel // nil: nothing published
		wantErr string
	}{
		{name: "aborted", ev: statusEvent("ABORTED", `,"error":null`),
			want: &jobwire.Cancel{Version: jobwire.Version, Kind: jobwire.KindCancel, ExecutionArn: execArn, Reason: "execution ABORTED"}},
		{name: "timed out", ev: statusEvent("TIMED_OUT", ""),
			want: &jobwire.Cancel{Version: jobwire.Version, Kind: jobwire.KindCancel, ExecutionArn: execArn, Reason: "execution TIMED_OUT"}},
		{name: "failed names the error", ev: statusEvent("FAILED", `,"error":"States.TaskFailed"`),
			want: &jobwire.Cancel{Version: jobwire.Version, Kind: jobwire.KindCancel, ExecutionArn: execArn, Reason: "execution FAILED: States.TaskFailed"}},
		{name: "running is ignored", ev: statusEvent("RUNNING", "")},
		{name: "succeeded is ignored", ev: statusEvent("SUCCEEDED", "")},
		{name: "other sources are ignored", ev: events.CloudWatchEvent{Source: "my.app", DetailType: DetailType, Detail: json.RawMessage(`{}`)}},
		{name: "publish failure is an error", ev: statusEvent("ABORTED", ""), pubErr: errors.New("throttled"),
			want: &jobwire.Cancel{Version: jobwire.Version, Kind: jobwire.KindCancel, ExecutionArn: execArn, Reason: "execution ABORTED"}, wantErr: "throttled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pub := &fakePublisher{err: tt.pubErr}
			err := New(pub, "tenant1/to/worker/control", nil).Handle(context.Background(), tt.ev)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if tt.want == nil {
				if len(pub.payloads) != 0 {
					t.Fatalf("published %v", pub.payloads)
				}
				return
			}
			if len(pub.payloads) != 1 || pub.topics[0] != "tenant1/to/worker/control" {
				t.Fatalf("published %v to %v", pub.payloads, pub.topics)
			}
			var got jobwire.Cancel
			if err := json.Unmarshal([]byte(pub.payloads[0]), &got); err != nil || got != *tt.want {
				t.Fatalf("cancel = %+v (%v), want %+v", got, err, *tt.want)
			}
		})
	}
}

// The handler reads the whole EventBridge envelope, as a Lambda target
// receives it (docs/eventbridge.md §1, §4).
func TestHandleEnvelope(t *testing.T) {
	var ev events.CloudWatchEvent
	raw := `{"version":"0","id":"1","detail-type":"Step Functions Execution Status Change","source":"aws.states",
		"account":"123456789012","time":"2026-03-05T10:07:35Z","region":"us-east-1","resources":["` + execArn + `"],
		"detail":{"executionArn":"` + execArn + `","status":"ABORTED","startDate":1772705250123,"stopDate":1772705255456}}`
	if err := json.Unmarshal([]byte(raw), &ev); err != nil {
		t.Fatal(err)
	}
	pub := &fakePublisher{}
	if err := New(pub, "c", nil).Handle(context.Background(), ev); err != nil || len(pub.payloads) != 1 {
		t.Fatalf("err %v, published %v", err, pub.payloads)
	}
}
