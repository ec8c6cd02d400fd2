package jobwire

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// ProgressReport is the conventional shape of a progress message's
// "progress": how far the job is (0 to 100), what it is doing, and any
// JSON the handler wants to show. Readers show Percent and Message and
// keep Detail; a handler may report any other JSON instead.
type ProgressReport struct {
	Percent *float64        `json:"percent,omitempty"`
	Message string          `json:"message,omitempty"`
	Detail  json.RawMessage `json:"detail,omitempty"`
}

// Validate checks Percent's range.
func (p ProgressReport) Validate() error {
	if p.Percent != nil && (*p.Percent < 0 || *p.Percent > 100) {
		return fmt.Errorf("%w: percent %v is outside 0 to 100", ErrField, *p.Percent)
	}
	return nil
}

// Progress builds the progress message of job carrying progress as JSON.
// A ProgressReport (or a pointer to one) is validated first.
func Progress(job Job, progress any) ([]byte, error) {
	if err := validateReport(progress); err != nil {
		return nil, err
	}
	raw, err := json.Marshal(progress)
	if err != nil {
		return nil, fmt.Errorf("encode progress: %w", err)
	}
	return json.Marshal(Result{Version: Version, TaskToken: job.TaskToken, Kind: KindProgress, Progress: raw,
		ExecutionArn: job.ExecutionArn, JobID: job.JobID})
}

func validateReport(progress any) error {
	switch p := progress.(type) {
	case ProgressReport:
		return p.Validate()
	case *ProgressReport:
		if p != nil {
			return p.Validate()
		}
	}
	return nil
}

// ReadProgressReport reads the conventional fields of a progress message's
// "progress"; ok is false when it is not a JSON object of that shape.
func ReadProgressReport(raw json.RawMessage) (p ProgressReport, ok bool) {
	if err := json.Unmarshal(raw, &p); err != nil {
		return ProgressReport{}, false
	}
	return p, p.Validate() == nil
}

// TaskRef is a short, stable reference to a task token: the first 12 hex
// digits of its SHA-256. Logs and progress topics name tasks by it rather
// than by the token itself, which is long and a credential of sorts.
func TaskRef(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:6])
}

// ProgressTopic is the topic a worker publishes job's progress to, as a
// retained message, so that a reader arriving late sees the latest report:
//
//	<results topic>/progress/<execution name>/<TaskRef(token)>
//
// The execution's name is "-" for a job without an executionArn. MQTT
// wildcards in a name ("+" is allowed in execution names) become "_";
// readers match the message's executionArn, not the topic, to be exact.
func ProgressTopic(results string, job Job) string {
	return ProgressPrefix(results, job.ExecutionArn) + TaskRef(job.TaskToken)
}

// ProgressPrefix is the topic prefix, ending in "/", of the progress
// topics of an execution's jobs.
func ProgressPrefix(results, executionArn string) string {
	name := "-"
	if executionArn != "" {
		name = executionArn[strings.LastIndexByte(executionArn, ':')+1:]
		name = strings.NewReplacer("+", "_", "#", "_", "/", "_").Replace(name)
	}
	return results + "/progress/" + name + "/"
}

// ProgressFilter is the topic filter of every progress topic under the
// results topic: <results topic>/progress/#.
func ProgressFilter(results string) string { return results + "/progress/#" }
