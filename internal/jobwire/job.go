package jobwire

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Job is what the dispatch Lambda publishes to the worker topic.
type Job struct {
	// Version is the contract version (0: absent, read as 1).
	Version int `json:"version,omitempty"`
	// Input is the state input the job works on.
	Input json.RawMessage `json:"Input"`
	// TaskToken identifies the waiting task; the worker echoes it back.
	TaskToken string `json:"TaskToken"`
	// JobType selects a handler in the worker; empty means the default.
	JobType string `json:"jobType,omitempty"`
	// JobID is an optional identifier for logs and cancellation.
	JobID string `json:"jobId,omitempty"`
	// HeartbeatSeconds, when set, asks the worker to send heartbeats at
	// least this often.
	HeartbeatSeconds int `json:"heartbeatSeconds,omitempty"`
	// ExecutionArn is the Step Functions execution the job belongs to
	// ($$.Execution.Id), so that a cancel can name the execution.
	ExecutionArn string `json:"executionArn,omitempty"`
}

// ParseJob decodes and validates a worker-topic message. When the error
// wraps ErrField or ErrVersion and the returned job has a TaskToken, the
// message named its task but cannot run: the worker should fail the task
// (InvalidJob) rather than let it time out. Any other error means a message
// without a usable token, to be dropped.
func ParseJob(data []byte) (Job, error) {
	if j, ok := parseJobPlain(data); ok {
		return j, j.Validate()
	}
	var j Job
	if err := json.Unmarshal(data, &j); err != nil {
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) || te.Field == "" {
			return Job{}, fmt.Errorf("%w: %v", ErrNotJSON, err)
		}
		// A field of the wrong type, such as a heartbeatSeconds beyond int:
		// the rest of the job, its token included, was read.
		if err := checkToken(j.TaskToken); err != nil {
			return Job{}, err
		}
		return j, fmt.Errorf("%w: field %q has the wrong type: %v", ErrField, te.Field, err)
	}
	return j, j.Validate()
}

// Validate checks a job's fields.
func (j Job) Validate() error {
	if err := checkToken(j.TaskToken); err != nil {
		return err
	}
	if err := checkVersion(j.Version); err != nil {
		return err
	}
	// Zero or less asks for no heartbeats, as the sample's jobs, which
	// have no such field, do.
	if j.HeartbeatSeconds > MaxHeartbeatSeconds {
		return fmt.Errorf("%w: heartbeatSeconds %d is above the maximum %d", ErrField, j.HeartbeatSeconds, MaxHeartbeatSeconds)
	}
	if err := checkName("jobType", j.JobType); err != nil {
		return err
	}
	return checkName("jobId", j.JobID)
}
