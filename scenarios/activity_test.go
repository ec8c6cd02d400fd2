package scenarios

import (
	"path/filepath"
	"strings"
	"testing"
)

// activityHead is a scenario whose one Task is the activity "jobs", with
// HeartbeatSeconds 60 (heartbeats every 20 s) and a 2-hour timeout.
const activityHead = `template: %TEMPLATE%
definition: |
  {"StartAt": "Job", "States": {"Job": {"Type": "Task", "Resource": "${activity:jobs}",
    "HeartbeatSeconds": 60, "TimeoutSeconds": 7200,
    "Parameters": {"Input.$": "$", "heartbeatSeconds": 60},
    "Retry": [{"ErrorEquals": ["Worker.ShuttingDown"], "IntervalSeconds": 5, "MaxAttempts": 1}],
    "ResultPath": "$.out", "End": true}}}
`

// An activity worker takes the behaviours an MQTT worker does, on virtual
// time: a crash, a cut link, a drain retried on the next worker, a
// result sent twice, a malformed result, a job without heartbeats, and a
// StopExecution heard at the next heartbeat.
func TestActivityWorkerBehaviours(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"crash": `workers: [{name: w, activity: jobs, default: {do: crash, takes: 5m10s}}]
steps: [{start: {input: {}}}]
# The last heartbeat was at 5 m, the crash at 5 m 10 s.
expect: {status: FAILED, error: States.Timeout, elapsed: 6m}
`,
		"cut past HeartbeatSeconds": `workers: [{name: w, activity: jobs, default: {do: succeed, result: 1, takes: 30m, disconnect: {after: 70s, for: 10m}}}]
steps: [{start: {input: {}}}]
# The last heartbeat that got through was at 60 s.
expect: {status: FAILED, error: States.Timeout, elapsed: 2m}
`,
		"drain, then the next worker": `workers:
  - {name: old, activity: jobs, drainTimeout: 10s, default: {do: succeed, result: old, takes: 1h}}
  - {name: new, activity: jobs, stopped: true, default: {do: succeed, result: new}}
steps:
  - start: {input: {}}
  - wait: {until: {event: ActivityStarted}}
  - sigterm: old
  - restart: new
expect:
  status: SUCCEEDED
  output: {out: {result: new}}
  elapsed: 15s
  events:
    - {type: ActivityFailed, fields: {error: Worker.ShuttingDown}}
    - {type: ActivityStarted, fields: {workerName: new}}
  logs:
    - {worker: old, event: "drain timed out; cancelling running jobs"}
`,
		"twice": `workers: [{name: w, activity: jobs, default: {do: succeed, result: 7, twice: true}}]
steps: [{start: {input: {}}}]
expect:
  status: SUCCEEDED
  output: {out: {result: 7}}
  logs:
    - {worker: w, event: "task is gone; dropping report", fields: {err: TaskTimedOut}, count: 1}
`,
		"malformed": `workers: [{name: w, activity: jobs, heartbeats: false, default: {do: run, malformed: true}}]
steps: [{start: {input: {a: 1, b: 2}}}]
expect:
  status: FAILED
  error: States.Timeout
  elapsed: 1m
  logs:
    - {worker: w, event: malformed result sent, fields: {err: InvalidOutput}}
`,
		"no heartbeat": `workers: [{name: w, activity: jobs, jobs: [{do: hang, heartbeat: false}]}]
steps: [{start: {input: {}}}]
expect: {status: FAILED, error: States.Timeout, elapsed: 1m}
`,
		"stop heard at the next heartbeat": `workers: [{name: w, activity: jobs, default: {do: hang}}]
steps:
  - start: {input: {}}
  - advance: 5m
  - stop: {}
  - wait: {until: {log: {worker: w, event: cancel received}}, within: 1m}
expect:
  status: ABORTED
  logs:
    - {worker: w, event: cancel received, count: 1}
    - {worker: w, event: worker-publish, fields: {kind: failure}}
`,
	}
	head := strings.ReplaceAll(activityHead, "%TEMPLATE%", abs(t, "../template.yaml"))
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "s.yaml")
			writeFile(t, path, "name: "+name+"\n"+head+body)
			if r := RunFile(path, InProcess{}, false); r.Err != nil {
				t.Fatal(r.Err)
			}
		})
	}
}
