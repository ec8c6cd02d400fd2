package scenarios

import (
	"context"
	"encoding/json"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepwire/stepwire/internal/jobwire"
	"github.com/stepwire/stepwire/worker"
)

// A worker that takes many polls of the runner to answer (a loaded
// machine) is working, not waiting: virtual time must not jump to the
// heartbeat timeout meanwhile, however long the history stays unchanged.
func TestVirtualTimeWaitsForABusyWorker(t *testing.T) {
	const slowPolls = 200 // far more polls than any quiet-period rule would wait
	var polls atomic.Int64
	var last atomic.Pointer[probe]
	tick := make(chan struct{}, 1)
	ip := InProcess{
		onPoll: func(p *probe) {
			last.Store(p)
			polls.Add(1)
			select {
			case tick <- struct{}{}:
			default:
			}
		},
		handler: worker.HandlerFunc(func(ctx context.Context, job jobwire.Job) (json.RawMessage, error) {
			for start := polls.Load(); polls.Load() < start+slowPolls; {
				select {
				case <-tick:
				case <-ctx.Done():
					return nil, ctx.Err()
				}
			}
			return worker.Add(ctx, job)
		}),
	}
	s := &Scenario{
		Name: "slow worker", Template: "../template.yaml", path: "scenario.yaml",
		Definition: `{"StartAt": "Job", "States": {"Job": {"Type": "Task",
			"Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken", "HeartbeatSeconds": 30,
			"Parameters": {"FunctionName": "SendToWorkerFunction", "Payload": {"Input.$": "$", "TaskToken.$": "$$.Task.Token"}},
			"End": true}}}`,
		Input: map[string]any{"a": 1, "b": 2}, Worker: "run",
		Expect: Expect{Status: "SUCCEEDED", Output: map[string]any{"result": 3.0},
			History: []string{"ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted",
				"TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"}},
	}
	r, err := ip.Run(t, s)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Check(r); err != nil {
		t.Fatal(err)
	}
	if r.Elapsed != 0 {
		t.Fatalf("virtual time moved %v while the worker worked", r.Elapsed)
	}
	// The probe saw the job leave through the dispatch Lambda and the
	// result arrive at the completion Lambda.
	p := last.Load()
	if p == nil || !p.hasCompletions || p.jobsPublished["tenant1/to/worker"].Load() != 1 || p.completions.Load() != 1 {
		t.Fatalf("probe: %+v, want one job published and one completion", p)
	}
}

func TestTasksInFlight(t *testing.T) {
	ev := func(id, prev int64, typ types.HistoryEventType) types.HistoryEvent {
		return types.HistoryEvent{Id: id, PreviousEventId: prev, Type: typ}
	}
	base := []types.HistoryEvent{
		ev(1, 0, types.HistoryEventTypeExecutionStarted),
		ev(2, 1, types.HistoryEventTypeTaskStateEntered),
		ev(3, 2, types.HistoryEventTypeTaskScheduled),
	}
	tests := []struct {
		name string
		more []types.HistoryEvent
		want int
	}{
		{"scheduled", nil, 1},
		{"started", []types.HistoryEvent{ev(4, 3, types.HistoryEventTypeTaskStarted)}, 1},
		{"submitted", []types.HistoryEvent{ev(4, 3, types.HistoryEventTypeTaskStarted), ev(5, 4, types.HistoryEventTypeTaskSubmitted)}, 0},
		{"failed to start", []types.HistoryEvent{ev(4, 3, types.HistoryEventTypeTaskStartFailed)}, 0},
		{"retried", []types.HistoryEvent{ev(4, 3, types.HistoryEventTypeTaskStarted), ev(5, 4, types.HistoryEventTypeTaskFailed),
			ev(6, 5, types.HistoryEventTypeTaskScheduled)}, 1},
	}
	for _, tt := range tests {
		if got := tasksInFlight(append(append([]types.HistoryEvent(nil), base...), tt.more...)); got != tt.want {
			t.Errorf("%s: tasksInFlight = %d, want %d", tt.name, got, tt.want)
		}
	}
}
