package jobwire

import (
	"encoding/json"
	"fmt"
)

// Cancel tells a worker to stop a job. Any of TaskToken, JobID and
// ExecutionArn names the jobs to stop; at least one must be set.
type Cancel struct {
	Version   int    `json:"version,omitempty"`
	Kind      Kind   `json:"kind"`
	TaskToken string `json:"TaskToken,omitempty"`
	JobID     string `json:"jobId,omitempty"`
	// ExecutionArn stops every job of that execution.
	ExecutionArn string `json:"executionArn,omitempty"`
	Reason       string `json:"reason,omitempty"`
}

// NewCancel builds the cancel message for every job of an execution.
func NewCancel(executionArn, reason string) ([]byte, error) {
	return json.Marshal(Cancel{Version: Version, Kind: KindCancel, ExecutionArn: executionArn, Reason: reason})
}

// ParseCancel decodes and validates a control-topic message.
func ParseCancel(data []byte) (Cancel, error) {
	var c Cancel
	if err := json.Unmarshal(data, &c); err != nil {
		return Cancel{}, fmt.Errorf("%w: %v", ErrNotJSON, err)
	}
	if c.Kind != KindCancel {
		return Cancel{}, fmt.Errorf("%w: %q on the control topic", ErrUnknownKind, c.Kind)
	}
	if err := checkVersion(c.Version); err != nil {
		return Cancel{}, err
	}
	if c.TaskToken == "" && c.JobID == "" && c.ExecutionArn == "" {
		return Cancel{}, fmt.Errorf("%w: a cancel names no job (TaskToken, jobId or executionArn)", ErrField)
	}
	return c, nil
}

// ControlTopic is the topic a worker that takes jobs on worker receives its
// cancel messages on: worker + "/control".
func ControlTopic(worker string) string { return worker + "/control" }
