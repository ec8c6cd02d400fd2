package scenarios

import (
	"testing"
	"time"
)

// On virtual time the scenario's worker runs on the emulator's fake clock:
// a job that asks for heartbeats gets one every 10 virtual seconds, each
// resets the Task's 30 s heartbeat timeout, and the Task ends only at its
// 60 s TimeoutSeconds, in milliseconds of real time.
func TestVirtualTimeRunsTheWorkersHeartbeats(t *testing.T) {
	s := &Scenario{
		Name: "silent worker keeps its task alive with heartbeats", Template: "../template.yaml", path: "scenario.yaml",
		Definition: `{"StartAt": "Job", "States": {"Job": {"Type": "Task",
			"Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken", "HeartbeatSeconds": 30, "TimeoutSeconds": 60,
			"Parameters": {"FunctionName": "SendToWorkerFunction",
				"Payload": {"Input.$": "$", "TaskToken.$": "$$.Task.Token", "heartbeatSeconds": 30}},
			"End": true}}}`,
		Input: map[string]any{"a": 1, "b": 2}, Worker: "silent",
		Expect: Expect{Status: "FAILED", Error: "States.Timeout", Elapsed: 60 * time.Second,
			History: []string{"ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted",
				"TaskTimedOut", "ExecutionFailed"}},
	}
	r, err := InProcess{}.Run(t, s)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Check(r); err != nil {
		t.Fatal(err)
	}
}
