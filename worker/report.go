package worker

import "context"

// How a worker reports results, failures, heartbeats and progress.
const (
	// ReportMQTT publishes them to the submit topic, for the topic rule
	// and the complete Lambda (the default).
	ReportMQTT = "mqtt"
	// ReportDirect calls Step Functions itself with temporary credentials
	// from IAM Roles Anywhere (direct.go).
	ReportDirect = "direct"
)

// sink delivers one encoded job message (internal/jobwire) about a job.
// Jobs arrive over MQTT in either mode; only the way back differs.
type sink interface {
	send(ctx context.Context, payload []byte) error
}

// mqttSink publishes to the submit topic.
type mqttSink struct{ w *Worker }

func (s mqttSink) send(ctx context.Context, payload []byte) error { return s.w.publish(ctx, payload) }
