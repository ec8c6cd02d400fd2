//go:build e2e

package e2e

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepwire/stepwire/internal/target"
)

// A paused worker (docker pause: frozen, its connection open) misses its
// heartbeats and the task times out. Unpaused after that, it finishes the
// job and reports it; the late result gets TaskTimedOut (the complete
// Lambda logs it and drops it), and the worker carries on with the next
// job.
func TestPausedWorkerReportsLateAndCarriesOn(t *testing.T) {
	e := setUp(t)
	sm := e.sleepMachine(t, "paused", 2, false)
	w := e.startWorker(t, "w1", workerOpts{})
	arn := e.start(t, sm, `{"seconds":4}`)
	waitLog(t, w, 30*time.Second, 1, "worker-received")
	docker(t, "pause", w.GetContainerID())
	expectTimeout(t, e.wait(t, arn, 60*time.Second))
	docker(t, "unpause", w.GetContainerID())
	if e.emulator != nil {
		waitLog(t, e.emulator, 60*time.Second, 1, "task is gone", "SendTaskSuccess", "TaskTimedOut")
	} else {
		t.Log("TARGET=aws: the complete Lambda's TaskTimedOut is in CloudWatch Logs, not checked")
	}
	expectSample(t, e.runSample(t))
}

// A worker cut off its network (docker network disconnect) misses the job
// published meanwhile; the broker keeps it in the worker's persistent
// session, and once the network is back (reconnect) the job is delivered
// and the execution succeeds.
func TestPartitionedWorkerGetsTheQueuedJob(t *testing.T) {
	e := setUp(t)
	w := e.startWorker(t, "w1", workerOpts{})
	docker(t, "network", "disconnect", e.netName, w.GetContainerID())
	arn := e.start(t, e.stack.StateMachineArn, sampleInput)
	poll(t, 30*time.Second, "the job to be published", func() bool {
		return hasEvent(e.history(t, arn), types.HistoryEventTypeTaskSubmitted)
	})
	if n := countLines(logs(t, w), "worker-received"); n != 0 {
		t.Fatalf("the worker received %d jobs while cut off", n)
	}
	docker(t, "network", "connect", e.netName, w.GetContainerID())
	expectSample(t, e.wait(t, arn, 120*time.Second))
}

// docker stop (SIGTERM) mid-job drains the worker: it takes no more jobs,
// its running job outlives --drain-timeout and fails with
// Worker.ShuttingDown, and the state machine's Retry runs the job on the
// other worker of the tenant's share group.
func TestStoppedWorkerDrainsAndTheOtherRetries(t *testing.T) {
	e := setUp(t)
	sm := e.sleepMachine(t, "drained", 10, true)
	w1 := e.startWorker(t, "w1", workerOpts{shareGroup: "tenant1", drainTimeout: "1s"})
	arn := e.start(t, sm, `{"seconds":3}`)
	waitLog(t, w1, 30*time.Second, 1, "worker-received")
	w2 := e.startWorker(t, "w2", workerOpts{shareGroup: "tenant1"})
	docker(t, "stop", "--time", "30", w1.GetContainerID())
	d := e.wait(t, arn, 60*time.Second)
	if d.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("status %s error %q cause %q, want SUCCEEDED after the retry", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
	}
	var failed []string
	for _, ev := range e.history(t, arn) {
		if ev.TaskFailedEventDetails != nil {
			failed = append(failed, aws.ToString(ev.TaskFailedEventDetails.Error))
		}
	}
	if len(failed) != 1 || failed[0] != "Worker.ShuttingDown" {
		t.Fatalf("failed attempts %q, want one Worker.ShuttingDown", failed)
	}
	if n := countLines(logs(t, w2), "worker-received"); n != 1 {
		t.Fatalf("the other worker received %d jobs, want the retry", n)
	}
}

// The emulator restarted under its workers (docker restart) while a job
// runs: they reconnect by themselves, with backoff, and take jobs again.
// The emulator keeps its state in its data dir (docs/durability.md), so the
// workers' certificates are still registered, and the execution that was
// waiting for the running job resumes: the job's result, reported once
// the worker is back, completes it with the task token issued before the
// restart.
func TestWorkersReconnectAfterEmulatorRestart(t *testing.T) {
	skipOn(t, target.RestartEmulator)
	e := setUp(t)
	sm := e.sleepMachine(t, "restarted", 30, false)
	w1 := e.startWorker(t, "w1", workerOpts{shareGroup: "tenant1"})
	w2 := e.startWorker(t, "w2", workerOpts{shareGroup: "tenant1"})
	arn := e.start(t, sm, `{"seconds":8}`)
	poll(t, 30*time.Second, "a worker to take the job", func() bool {
		return countLines(logs(t, w1), "worker-received")+countLines(logs(t, w2), "worker-received") == 1
	})
	docker(t, "restart", "--time", "10", e.emulator.GetContainerID())
	waitLog(t, e.emulator, 60*time.Second, 2, "stepwire is up")
	e.connect(t)
	waitLog(t, w1, 60*time.Second, 2, "worker ready")
	waitLog(t, w2, 60*time.Second, 2, "worker ready")
	d := e.wait(t, arn, 60*time.Second)
	if d.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("the execution waiting across the restart: status %s error %q cause %q, want SUCCEEDED",
			d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
	}
	for range 2 {
		expectSample(t, e.runSample(t))
	}
}

func hasEvent(events []types.HistoryEvent, typ types.HistoryEventType) bool {
	for _, ev := range events {
		if ev.Type == typ {
			return true
		}
	}
	return false
}
