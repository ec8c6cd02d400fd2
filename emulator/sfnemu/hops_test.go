package sfnemu

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/internal/clock"
)

// hopRecorder is a slog.Handler that keeps "hop" records.
type hopRecorder struct {
	mu   sync.Mutex
	hops []map[string]string
}

func (r *hopRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *hopRecorder) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *hopRecorder) WithGroup(string) slog.Handler            { return r }
func (r *hopRecorder) Handle(_ context.Context, rec slog.Record) error {
	if rec.Message != "hop" || rec.Level != slog.LevelInfo {
		return nil
	}
	attrs := map[string]string{}
	rec.Attrs(func(a slog.Attr) bool { attrs[a.Key] = a.Value.String(); return true })
	r.mu.Lock()
	r.hops = append(r.hops, attrs)
	r.mu.Unlock()
	return nil
}

func (r *hopRecorder) snapshot() []map[string]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]map[string]string(nil), r.hops...)
}

// Each hop of the job path is logged once, at Info, in order.
func TestHopLogging(t *testing.T) {
	h := newHarness(t)
	rec := &hopRecorder{}
	h.svc.Close()
	h.svc = New(Config{Clock: clock.NewFake(time.Unix(0, 0)), Invoke: h.dispatch, Logger: slog.New(rec)})
	t.Cleanup(h.svc.Close)
	ctx := context.Background()
	sm, err := h.svc.CreateStateMachine(ctx, CreateStateMachineInput{Name: "OnPremJobs", Definition: sampleDefinition, RoleArn: roleArn, Type: "STANDARD"})
	require.NoError(t, err)
	input := `{}`
	name := "job-7"
	info, err := h.svc.StartExecution(ctx, StartExecutionInput{StateMachineArn: sm.StateMachineArn, Name: &name, Input: &input})
	require.NoError(t, err)
	j := h.nextJob()
	require.NoError(t, h.svc.SendTaskSuccess(ctx, SendTaskSuccessInput{TaskToken: j.Token, Output: input}))
	require.Eventually(t, func() bool { return len(rec.snapshot()) == 4 }, 5*time.Second, time.Millisecond)

	hops := rec.snapshot()
	want := []struct{ hop, key, value string }{
		{"start", "execution", "job-7"},
		{"dispatch", "function", "arn:aws:lambda:us-east-1:123456789012:function:dispatch"},
		{"callback", "op", "SendTaskSuccess"},
		{"done", "status", string(types.ExecutionStatusSucceeded)},
	}
	for i, w := range want {
		require.Equal(t, w.hop, hops[i]["hop"])
		require.Equal(t, w.value, hops[i][w.key])
		require.Equal(t, info.ExecutionArn, hops[i]["executionArn"])
	}
}
