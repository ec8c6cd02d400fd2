//go:build e2e

package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stepwire/stepwire/internal/target"
)

// TARGET=aws, wired up in CI without an AWS account: an emulator
// container plays the deployed stack, and the suite runs again in a child
// go test process with TARGET=aws and only what a user on AWS sets, the
// default credential chain (AWS_ENDPOINT_URL pointing at the emulator,
// static keys, no config files) and STACK_NAME. The child finds the stack
// through DescribeStacks, ListStackResources and the iot:Data-ATS
// endpoint, issues and later deletes its workers' certificates, creates
// and deletes its state machines, runs the tests whose faults are the
// worker's, and skips, with its reason, the ones AWS cannot take.
func TestAWSTargetOnAnEmulatorStack(t *testing.T) {
	if suiteTarget(t) == target.AWS {
		t.Skip("TARGET=aws: this test plays the deployed stack with an emulator container")
	}
	e := setUp(t)
	ca := filepath.Join(t.TempDir(), "root-CA.crt")
	if err := os.WriteFile(ca, e.caPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	out := runChild(t, []string{
		target.Env + "=aws", target.StackEnv + "=" + e.stack.StackName,
		"AWS_ENDPOINT_URL=" + e.endpoint, "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_SESSION_TOKEN=",
		"AWS_REGION=" + e.stack.Region, "AWS_PROFILE=", "AWS_CONFIG_FILE=" + os.DevNull, "AWS_SHARED_CREDENTIALS_FILE=" + os.DevNull,
		networkVar + "=" + e.netName, rootCAVar + "=" + ca, envIDVar + "=",
	})
	for _, want := range []string{
		"target aws: stack " + e.stack.StackName + ": state machine " + e.stack.StateMachineArn,
		"IoT data endpoint stepwire:8883",
		"--- PASS: TestSampleAcrossContainers",
		"--- PASS: TestStoppedWorkerDrainsAndTheOtherRetries",
		"--- PASS: TestPartitionedWorkerGetsTheQueuedJob",
		"--- SKIP: TestWorkersReconnectAfterEmulatorRestart",
		target.AWS.SkipReason(target.RestartEmulator),
		"--- SKIP: TestSampleOnBootstrapBinaries",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the TARGET=aws run does not say %q:\n%s", want, out)
		}
	}
}

// awsChildTests are the tests the TARGET=aws child runs: the sample, a
// worker fault with a state machine of its own, a network fault, and two
// that skip.
const awsChildTests = "^Test(SampleAcrossContainers|StoppedWorkerDrainsAndTheOtherRetries|PartitionedWorkerGetsTheQueuedJob|" +
	"WorkersReconnectAfterEmulatorRestart|SampleOnBootstrapBinaries)$"

// runChild runs awsChildTests in a child test process with env added,
// failing the test if the child fails; it returns the child's verbose
// output.
func runChild(t *testing.T, env []string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run", awsChildTests, "-test.count", "1", "-test.v")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the TARGET=aws run failed: %v\n%s", err, out)
	}
	return string(out)
}
