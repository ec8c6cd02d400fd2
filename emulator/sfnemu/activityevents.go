package sfnemu

import "github.com/stepwire/stepwire/emulator/interp"

// The events an activity task sends its execution, in one place so the
// interpreter's activity support plugs in here.

// activityStarted reports that GetActivityTask handed the task to worker.
func activityStarted(taskID, worker string) interp.Event {
	return interp.ActivityStarted{TaskID: taskID, WorkerName: worker}
}

// activityMissing fails a task whose activity does not exist (deleted
// before the task was scheduled) with States.Runtime. AWS logs no
// ActivityScheduled/ActivityFailed pair before its ExecutionFailed; here
// the interpreter has already logged ActivityScheduled and logs
// ActivityFailed.
func activityMissing(c interp.InvokeTask) interp.Event {
	return taskFailed(c.TaskID, "States.Runtime",
		"Internal Error (activity not found). The activity "+c.Resource+" does not exist.")
}
