package sfnemu

import (
	"strings"

	"github.com/stepwire/stepwire/emulator/interp"
)

// The events an activity task sends its execution, in one place so the
// interpreter's activity support plugs in here.

// isActivityResource reports whether a Task resource is an activity ARN,
// arn:<partition>:states:<region>:<account>:activity:<name>.
func isActivityResource(resource string) bool {
	f := strings.Split(resource, ":")
	return len(f) == 7 && f[0] == "arn" && f[2] == "states" && f[5] == "activity"
}

// activityStarted reports that GetActivityTask handed the task to worker.
func activityStarted(taskID, worker string) interp.Event {
	return interp.ActivityStarted{TaskID: taskID, WorkerName: worker}
}

// activityMissing fails a task whose activity does not exist (deleted
// before the task was scheduled): States.Runtime, as AWS reports it.
func activityMissing(c interp.InvokeTask) interp.Event {
	return taskFailed(c.TaskID, "States.Runtime",
		"Internal Error (activity not found). The activity "+c.Resource+" does not exist.")
}
