package jobwire

import (
	"encoding/json"
	"fmt"
)

// Kind is the kind of a message on the results or control topic.
type Kind string

// Message kinds.
const (
	KindSuccess   Kind = "success"
	KindFailure   Kind = "failure"
	KindHeartbeat Kind = "heartbeat"
	KindProgress  Kind = "progress"
	KindCancel    Kind = "cancel"
)

// Result is what a worker publishes to its results topic, and, for
// progress, to the job's progress topic (ProgressTopic).
type Result struct {
	// Version is the contract version (0: absent, read as 1).
	Version   int    `json:"version,omitempty"`
	TaskToken string `json:"TaskToken"`
	// Kind is empty for the sample's messages; ParseResult derives it.
	Kind Kind `json:"kind,omitempty"`
	// Result is the job's output on success.
	Result json.RawMessage `json:"result,omitempty"`
	// Error and Cause describe a failure.
	Error string `json:"error,omitempty"`
	Cause string `json:"cause,omitempty"`
	// Exception is the sample worker's failure field (an exception name).
	Exception string `json:"exception,omitempty"`
	// Progress carries a progress report: any JSON, by convention a
	// ProgressReport.
	Progress json.RawMessage `json:"progress,omitempty"`
	// ExecutionArn and JobID repeat the job's, on progress messages, so
	// that a reader of the progress topics can tell whose progress it is.
	ExecutionArn string `json:"executionArn,omitempty"`
	JobID        string `json:"jobId,omitempty"`
}

// ParseResult decodes and validates a results-topic message and sets its
// Kind. A message with an error or exception field is a failure even when
// it also carries a result, so a worker failure never turns into a success.
func ParseResult(data []byte) (Result, error) {
	r, plain := parseResultPlain(data)
	if !plain {
		if err := json.Unmarshal(data, &r); err != nil {
			return Result{}, fmt.Errorf("%w: %v", ErrNotJSON, err)
		}
	}
	if err := checkToken(r.TaskToken); err != nil {
		return Result{}, err
	}
	if err := checkVersion(r.Version); err != nil {
		return Result{}, err
	}
	switch {
	case r.Kind == KindHeartbeat:
	case r.Kind == KindProgress:
		if len(r.Progress) == 0 {
			return Result{}, fmt.Errorf("%w: a progress message has no progress", ErrField)
		}
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
	return json.Marshal(Result{Version: Version, TaskToken: token, Result: raw})
}

// Failure builds a failure message.
func Failure(token, name, cause string) ([]byte, error) {
	return json.Marshal(Result{Version: Version, TaskToken: token, Kind: KindFailure, Error: name, Cause: cause})
}

// Heartbeat builds a heartbeat message.
func Heartbeat(token string) ([]byte, error) {
	return json.Marshal(Result{Version: Version, TaskToken: token, Kind: KindHeartbeat})
}
