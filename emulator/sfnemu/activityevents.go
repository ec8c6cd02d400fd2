package sfnemu

import (
	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/interp"
)

// The events an activity task sends its execution, in one place so the
// interpreter's activity support plugs in here.

// activityStarted reports that GetActivityTask handed the task to worker.
func activityStarted(taskID, worker string) interp.Event {
	return interp.ActivityStarted{TaskID: taskID, WorkerName: worker}
}

// activityMissing fails with States.Runtime a task whose activity was
// deleted after the interpreter checked it. The interpreter asks
// interp.Options.ActivityExists before it schedules each attempt and, for a
// missing activity, fails the execution itself with no Activity* event, as
// AWS does (docs/step-functions.md §3.3 L). Only a deletion that lands between that
// check and scheduleActivity gets here: ActivityScheduled is then already
// logged, and this failure logs ActivityFailed.
func activityMissing(c interp.InvokeTask) interp.Event {
	return taskFailed(c.TaskID, string(asl.StatesRuntime),
		"Internal Error (activity not found). The activity "+c.Resource+" does not exist.")
}
