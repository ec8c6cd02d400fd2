package jobwire

import (
	"github.com/stepwire/stepwire/internal/jsonobj"
)

// jobKeys are Job's JSON names, in struct order.
var jobKeys = [...]string{"version", "Input", "TaskToken", "jobType", "jobId", "heartbeatSeconds", "executionArn"}

// parseJobPlain reads a job the way json.Unmarshal does, without
// reflection, when the message is plain (jsonobj.Plain); ok is false
// otherwise, and ParseJob then hands the message to json.Unmarshal.
func parseJobPlain(data []byte) (j Job, ok bool) {
	if !jsonobj.Plain(data, jobKeys[:], j.set) {
		return Job{}, false
	}
	return j, true
}

// set stores value, a member's JSON text, in the field jobKeys[field]
// names, if it is plain.
func (j *Job) set(field int, value []byte) bool {
	switch field {
	case 0:
		return jsonobj.SetInt(&j.Version, value)
	case 1:
		return jsonobj.SetRaw(&j.Input, value)
	case 2:
		return jsonobj.SetString(&j.TaskToken, value)
	case 3:
		return jsonobj.SetString(&j.JobType, value)
	case 4:
		return jsonobj.SetString(&j.JobID, value)
	case 5:
		return jsonobj.SetInt(&j.HeartbeatSeconds, value)
	case 6:
		return jsonobj.SetString(&j.ExecutionArn, value)
	}
	return false
}

// resultKeys are Result's JSON names, in struct order.
var resultKeys = [...]string{"version", "TaskToken", "kind", "result", "error", "cause", "exception", "progress", "executionArn", "jobId"}

// parseResultPlain is parseJobPlain for a results-topic message.
func parseResultPlain(data []byte) (r Result, ok bool) {
	if !jsonobj.Plain(data, resultKeys[:], r.set) {
		return Result{}, false
	}
	return r, true
}

// set stores value, a member's JSON text, in the field resultKeys[field]
// names, if it is plain.
func (r *Result) set(field int, value []byte) bool {
	switch field {
	case 0:
		return jsonobj.SetInt(&r.Version, value)
	case 1:
		return jsonobj.SetString(&r.TaskToken, value)
	case 2:
		return jsonobj.SetString((*string)(&r.Kind), value)
	case 3:
		return jsonobj.SetRaw(&r.Result, value)
	case 4:
		return jsonobj.SetString(&r.Error, value)
	case 5:
		return jsonobj.SetString(&r.Cause, value)
	case 6:
		return jsonobj.SetString(&r.Exception, value)
	case 7:
		return jsonobj.SetRaw(&r.Progress, value)
	case 8:
		return jsonobj.SetString(&r.ExecutionArn, value)
	case 9:
		return jsonobj.SetString(&r.JobID, value)
	}
	return false
}
