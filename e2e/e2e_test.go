//go:build e2e

// Package e2e runs stepwire as containers: the emulator (stepwire:dev)
// and workers (stepwire-worker:dev) on a private docker network, real
// mTLS between them. The workers reach the broker; nothing reaches the
// workers, which open no port. The tests drive them from the host over
// the wire only, through the AWS SDK as CI and users' own pipelines do, and
// inject the faults a real network has with the docker CLI: kill, pause,
// network disconnect, stop (SIGTERM) and restart. Run it with `make e2e`,
// which builds the images and the Lambdas' bootstrap binaries first.
//
// The tests find the stack they drive from its DescribeStacks outputs, as
// on AWS; TARGET=aws (target_test.go) runs them against a deployed stack,
// skipping, each with its reason, those whose fault AWS cannot take.
//
// Two workers of one tenant split its jobs with an MQTT shared
// subscription, $share/<group>/tenant1/to/worker (the worker's
// --share-group), each with its own client ID and certificate: IoT Core
// delivers each job to one connected member of the group, so a job
// retried after one worker leaves goes to the other.
package e2e

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// The sample job across containers: host SDK → emulator container →
// MQTT/mTLS over the docker network → worker container → back.
func TestSampleAcrossContainers(t *testing.T) {
	e := setUp(t)
	e.startWorker(t, "w1", workerOpts{})
	expectSample(t, e.runSample(t))
}

// A worker killed mid-job (docker kill: SIGKILL, no goodbye) stops
// heartbeating, and the task fails with States.Timeout HeartbeatSeconds
// after the last heartbeat, not before.
func TestKilledWorkerTimesOut(t *testing.T) {
	e := setUp(t)
	const heartbeat = 3
	sm := e.sleepMachine(t, "killed", heartbeat, false)
	w := e.startWorker(t, "w1", workerOpts{})
	arn := e.start(t, sm, `{"seconds":60}`)
	waitLog(t, w, 30*time.Second, 1, "worker-received")
	killed := time.Now()
	docker(t, "kill", w.GetContainerID())
	d := e.wait(t, arn, 60*time.Second)
	expectTimeout(t, d)
	// The last heartbeat left at most a third of HeartbeatSeconds before
	// the kill; the timeout cannot come sooner than the rest of it.
	if got := aws.ToTime(d.StopDate).Sub(killed); got < heartbeat*time.Second*2/3-500*time.Millisecond {
		t.Errorf("timed out %v after the kill, want about %ds", got, heartbeat)
	}
}
