package interp

import (
	"fmt"
	"strings"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/internal/arn"
)

// Activity tasks (docs/step-functions.md §3.3 L, §4.5): ActivityScheduled when the state
// runs, ActivityStarted when GetActivityTask hands the task to a worker,
// then ActivitySucceeded, ActivityFailed or ActivityTimedOut. The
// TimeoutSeconds and HeartbeatSeconds clocks start at ActivityStarted: a
// task waiting in the queue does not time out (AWS docs; the execution's
// own timeout still applies).

// isActivity reports whether a Task resource is an activity ARN
// (arn:<partition>:states:<region>:<account>:activity:<name>).
func isActivity(res string) bool {
	a, err := arn.Parse(res)
	return err == nil && a.Service == "states" && strings.HasPrefix(a.Resource, "activity:")
}

// ActivityScheduledDetails is activityScheduledEventDetails.
type ActivityScheduledDetails struct {
	Resource           string       `json:"resource"`
	Input              *string      `json:"input,omitempty"`
	InputDetails       *DataDetails `json:"inputDetails,omitempty"`
	TimeoutInSeconds   *int64       `json:"timeoutInSeconds,omitempty"`
	HeartbeatInSeconds *int64       `json:"heartbeatInSeconds,omitempty"`
}

// ActivityStartedDetails is activityStartedEventDetails.
type ActivityStartedDetails struct {
	WorkerName string `json:"workerName,omitempty"`
}

// scheduleActivity logs ActivityScheduled and returns its id.
func (m *Machine) scheduleActivity(t *taskRun, input string, prev int64) int64 {
	d := &ActivityScheduledDetails{Resource: t.def.Resource, Input: &input, InputDetails: notTruncated}
	if t.timeout > 0 {
		d.TimeoutInSeconds = intPtr(t.timeout)
	}
	if t.heartbeat > 0 {
		d.HeartbeatInSeconds = intPtr(t.heartbeat)
	}
	return m.emit(EventActivityScheduled, prev, d)
}

// activityStarted logs ActivityStarted, starts the task's clocks and
// applies a callback that arrived first.
func (m *Machine) activityStarted(e ActivityStarted) error {
	t := m.running(e.TaskID)
	if t == nil || !t.activity || t.invoked {
		return ErrUnknownTask
	}
	t.invoked = true
	t.lastEvent = m.emit(EventActivityStarted, t.lastEvent, &ActivityStartedDetails{WorkerName: e.WorkerName})
	m.startClocks(t)
	if p := t.pending; p != nil {
		t.pending = nil
		m.applyCallback(t, p)
	}
	return nil
}

// activityMissing fails the execution with States.Runtime when the
// injected Options.ActivityExists says the task's activity is gone: AWS
// logs ExecutionFailed right after the state's entry (or the previous
// attempt's failure), with no ActivityScheduled or ActivityScheduleFailed
// (docs/step-functions.md §3.3 L). The runtime error is not retried or caught (§1.8).
func (m *Machine) activityMissing(t *taskRun, prev int64) bool {
	if !t.activity || m.opts.ActivityExists == nil || m.opts.ActivityExists(t.def.Resource) {
		return false
	}
	m.fail(prev, uncatchable(asl.StatesRuntime, fmt.Sprintf(activityMissingCause, t.def.Resource)))
	return true
}

// activityMissingCause is the cause of a missing activity's failure.
// Reference §3.3 L records only its end ("... The activity <arn> does not
// exist."); the opening is the text stepwire's service has used for the
// same failure.
const activityMissingCause = "Internal Error (activity not found). The activity %s does not exist."
