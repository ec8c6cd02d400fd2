// Package jobwire is the MQTT contract between Step Functions (through the
// dispatch and completion Lambdas) and on-premises workers: every message
// kind, its builder and its validating parser.
//
// It is backward compatible with the aws-samples on-prem-jobs-with-step-functions
// pattern: a job is {"Input": <state input>, "TaskToken": "..."} and a result is
// {"TaskToken": "...", "result": <value>}. Additions are optional fields, so a
// worker written for the sample keeps working, and a message without a
// version is read as version 1.
//
// The messages, by topic (README.md, "The MQTT job contract", shows one full
// exchange):
//
//	worker topic     job        {"version": 1, "Input": <any JSON>, "TaskToken": "...",
//	                             "jobType": "add", "jobId": "...", "heartbeatSeconds": 60,
//	                             "executionArn": "..."}
//	<worker>/control cancel     {"version": 1, "kind": "cancel", "executionArn": "...",
//	                             "TaskToken": "...", "jobId": "...", "reason": "..."}
//	results topic    success    {"version": 1, "TaskToken": "...", "result": <any JSON>}
//	                 failure    {"version": 1, "TaskToken": "...", "kind": "failure",
//	                             "error": "Name", "cause": "text"}
//	                            (the sample's {"exception": "Name"} is read as a failure too)
//	                 heartbeat  {"version": 1, "TaskToken": "...", "kind": "heartbeat"}
//	                 progress   {"version": 1, "TaskToken": "...", "kind": "progress",
//	                             "progress": <any JSON>}
//
// A cancel names the jobs to stop by any of its three keys. The cancel
// Lambda (lambdas/cancel) sends one with the executionArn of an execution
// that was stopped, timed out or failed.
package jobwire

import (
	"errors"
	"fmt"
	"strings"
)

// Version is the contract version this package writes. Readers accept
// messages without a version (the sample's, read as version 1) and up to
// Version; a later version is refused with ErrVersion, so a message whose
// meaning may have changed is never half understood.
const Version = 1

// Limits of the contract's fields.
const (
	// MaxTokenLen is the longest task token Step Functions accepts
	// (SendTaskSuccess's taskToken, 1 to 2048 characters).
	MaxTokenLen = 2048
	// MaxHeartbeatSeconds is the largest heartbeat interval a job may ask
	// for, the ASL maximum of a Task's HeartbeatSeconds.
	MaxHeartbeatSeconds = 99_999_999
	// MaxNameLen bounds jobType and jobId.
	MaxNameLen = 256
	// MaxErrorLen and MaxCauseLen are Step Functions' limits on
	// SendTaskFailure's error and cause; longer ones are cut to fit by
	// whoever calls Step Functions.
	MaxErrorLen = 256
	MaxCauseLen = 32768
)

// Errors returned by the parsers. Each wraps ErrInvalid, so a caller can
// tell a bad message from a failure of its own with errors.Is.
var (
	ErrInvalid     = errors.New("jobwire: invalid message")
	ErrNotJSON     = fmt.Errorf("%w: not a JSON object", ErrInvalid)
	ErrNoToken     = fmt.Errorf("%w: no TaskToken", ErrInvalid)
	ErrUnknownKind = fmt.Errorf("%w: unknown message kind", ErrInvalid)
	ErrVersion     = fmt.Errorf("%w: unsupported version", ErrInvalid)
	ErrField       = fmt.Errorf("%w: bad field", ErrInvalid)
)

// Reason is err's text without the "jobwire: invalid message: " that every
// parser error starts with: the cause to give a task that fails on it.
func Reason(err error) string {
	return strings.TrimPrefix(strings.TrimPrefix(err.Error(), "jobwire: invalid message: "), "bad field: ")
}

// checkVersion accepts 0 (absent) through Version.
func checkVersion(v int) error {
	if v < 0 || v > Version {
		return fmt.Errorf("%w %d (this reader knows 1 to %d)", ErrVersion, v, Version)
	}
	return nil
}

// checkToken checks a task token's length.
func checkToken(token string) error {
	switch {
	case token == "":
		return ErrNoToken
	case len(token) > MaxTokenLen:
		return fmt.Errorf("%w: TaskToken is %d bytes, above the maximum %d", ErrField, len(token), MaxTokenLen)
	}
	return nil
}

// checkName checks the length of an optional name field.
func checkName(field, v string) error {
	if len(v) > MaxNameLen {
		return fmt.Errorf("%w: %s is %d bytes, above the maximum %d", ErrField, field, len(v), MaxNameLen)
	}
	return nil
}
