//go:build e2e

package e2e

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// envIDVar names the env a child test run sets up (see
// TestTeardownAfterFailure); it is unset in ordinary runs.
const envIDVar = "STEPWIRE_E2E_ENV_ID"

// A failing test leaves no container or network behind, even one whose
// worker is paused when it fails: this test runs failOnPurpose in a child
// go test process and then asks docker for anything labelled with the
// child's env id.
func TestTeardownAfterFailure(t *testing.T) {
	id := "teardown-" + randomID(t)
	cmd := exec.Command(os.Args[0], "-test.run", "^TestFailOnPurpose$", "-test.count", "1")
	cmd.Env = append(os.Environ(), envIDVar+"="+id)
	done := make(chan struct{})
	var out []byte
	var err error
	go func() { out, err = cmd.CombinedOutput(); close(done) }()
	select {
	case <-done:
	case <-time.After(3 * time.Minute):
		_ = cmd.Process.Kill()
		t.Fatal("the failing child run did not end within 3 minutes")
	}
	if err == nil || !strings.Contains(string(out), "failing on purpose") {
		t.Fatalf("the child run did not fail as planned: %v\n%s", err, out)
	}
	for _, kind := range [][]string{{"ps", "-a"}, {"network", "ls"}} {
		args := append(kind, "-q", "--filter", "label="+runLabel+"="+id)
		left, err := exec.Command("docker", args...).Output()
		if err != nil {
			t.Fatal(err)
		}
		if s := strings.TrimSpace(string(left)); s != "" {
			t.Errorf("docker %s: left behind by the failed test: %s", strings.Join(kind, " "), s)
		}
	}
}

// TestFailOnPurpose sets up an env, pauses its worker and fails; it runs
// only as TestTeardownAfterFailure's child.
func TestFailOnPurpose(t *testing.T) {
	if os.Getenv(envIDVar) == "" {
		t.Skip("runs only as the child of TestTeardownAfterFailure")
	}
	e := setUp(t)
	w := e.startWorker(t, "w1", workerOpts{})
	docker(t, "pause", w.GetContainerID())
	t.Fatal("failing on purpose")
}
