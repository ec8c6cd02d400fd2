// Package jobwire is the MQTT contract between Step Functions (through the
// dispatch and completion Lambdas) and on-premises workers.
//
// It is backward compatible with the aws-samples on-prem-jobs-with-step-functions
// pattern: a job is {"Input": <state input>, "TaskToken": "..."} and a result is
// {"TaskToken": "...", "result": <value>}. Additions are optional fields, so a
// worker written for the sample keeps working.
//
// Message kinds on the results topic:
//
//	success    {"TaskToken": "...", "result": <any JSON>}
//	failure    {"TaskToken": "...", "error": "Name", "cause": "text"}
//	           (the sample's {"exception": "Name"} is read as a failure too)
//	heartbeat  {"TaskToken": "...", "kind": "heartbeat"}
//	progress   {"TaskToken": "...", "kind": "progress", "progress": <any JSON>}
//
// A cancel message {"kind": "cancel", "TaskToken": "...", "jobId": "...",
// "executionArn": "..."} goes to the worker on its control topic,
// ControlTopic(<worker topic>); any of the three names the jobs to stop. The
// cancel Lambda (lambdas/cancel) sends one with the executionArn of an
// execution that was stopped, timed out or failed.
package jobwire

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Job is what the dispatch Lambda publishes to the worker topic.
type Job struct {
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

// Kind is the kind of a message on the results topic.
type Kind string

// Result message kinds.
const (
	KindSuccess   Kind = "success"
	KindFailure   Kind = "failure"
	KindHeartbeat Kind = "heartbeat"
	KindProgress  Kind = "progress"
	KindCancel    Kind = "cancel"
)

// Result is what a worker publishes to its results topic.
type Result struct {
	TaskToken string `json:"TaskToken"`
	// Kind is empty for the sample's messages; Classify derives it.
	Kind Kind `json:"kind,omitempty"`
	// Result is the job's output on success.
	Result json.RawMessage `json:"result,omitempty"`
	// Error and Cause describe a failure.
	Error string `json:"error,omitempty"`
	Cause string `json:"cause,omitempty"`
	// Exception is the sample worker's failure field (an exception name).
	Exception string `json:"exception,omitempty"`
	// Progress carries a progress report.
	Progress json.RawMessage `json:"progress,omitempty"`
}

// Cancel tells a worker to stop a job.
type Cancel struct {
	Kind      Kind   `json:"kind"`
	TaskToken string `json:"TaskToken,omitempty"`
	JobID     string `json:"jobId,omitempty"`
	// ExecutionArn stops every job of that execution.
	ExecutionArn string `json:"executionArn,omitempty"`
	Reason       string `json:"reason,omitempty"`
}

// Errors returned by ParseResult.
var (
	ErrNotJSON     = errors.New("jobwire: message is not a JSON object")
	ErrNoToken     = errors.New("jobwire: message has no TaskToken")
	ErrUnknownKind = errors.New("jobwire: unknown message kind")
)

// ParseResult decodes a results-topic message and sets its Kind. A message
// with an error or exception field is a failure even when it also carries a
// result, so a worker failure never turns into a success.
func ParseResult(data []byte) (Result, error) {
	var r Result
	if err := json.Unmarshal(data, &r); err != nil {
		return Result{}, fmt.Errorf("%w: %v", ErrNotJSON, err)
	}
	if r.TaskToken == "" {
		return Result{}, ErrNoToken
	}
	switch {
	case r.Kind == KindHeartbeat || r.Kind == KindProgress:
	case r.Kind != "" && r.Kind != KindSuccess && r.Kind != KindFailure:
		return Result{}, fmt.Errorf("%w: %q", ErrUnknownKind, r.Kind)
	case r.Error != "" || r.Exception != "" || r.Kind == KindFailure:
		r.Kind = KindFailure
		if r.Error == "" {
			r.Error = r.Exception
		}
	default:
		r.Kind = KindSuccess
	}
	return r, nil
}

// Success builds a success message.
func Success(token string, result any) ([]byte, error) {
	raw, err := json.Marshal(result)
	if err != nil {
		return nil, fmt.Errorf("encode result: %w", err)
	}
	return json.Marshal(Result{TaskToken: token, Result: raw})
}

// Failure builds a failure message.
func Failure(token, name, cause string) ([]byte, error) {
	return json.Marshal(Result{TaskToken: token, Kind: KindFailure, Error: name, Cause: cause})
}

// Heartbeat builds a heartbeat message.
func Heartbeat(token string) ([]byte, error) {
	return json.Marshal(Result{TaskToken: token, Kind: KindHeartbeat})
}

// Progress builds a progress message carrying progress as JSON.
func Progress(token string, progress any) ([]byte, error) {
	raw, err := json.Marshal(progress)
	if err != nil {
		return nil, fmt.Errorf("encode progress: %w", err)
	}
	return json.Marshal(Result{TaskToken: token, Kind: KindProgress, Progress: raw})
}

// ControlTopic is the topic a worker that takes jobs on worker receives its
// cancel messages on: worker + "/control".
func ControlTopic(worker string) string { return worker + "/control" }
