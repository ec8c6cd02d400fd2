package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// "stepwire scenario run" prints a line per scenario, a readable diff for
// a failure, and ends with exactly "scenarios: <N> passed, <M> failed".
func TestScenarioRun(t *testing.T) {
	tpl, err := filepath.Abs("../../template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	bad := filepath.Join(dir, "bad.yaml")
	body := "template: " + tpl + "\nstateMachine: MqttBasedStateMachine\ninput: {a: 1, b: 2}\nworker: run\n"
	for path, text := range map[string]string{
		good: "name: adds\n" + body + "expect: {status: SUCCEEDED, output: {a: 1, b: 2, lambdaOutput: {result: 3}}}\n",
		bad:  "name: adds wrong\n" + body + "expect: {status: SUCCEEDED, output: {lambdaOutput: {result: 4}}}\n",
	} {
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	err = scenarioRun(context.Background(), []string{good, bad}, &out)
	if !errors.Is(err, errScenariosFailed) {
		t.Fatalf("err = %v, want errScenariosFailed", err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if last := lines[len(lines)-1]; last != "scenarios: 1 passed, 1 failed" {
		t.Fatalf("last line %q\n%s", last, out.String())
	}
	for _, want := range []string{"ok   adds (", "FAIL adds wrong (", `output = {"a":1,"b":2,"lambdaOutput":{"result":3}}, want {"lambdaOutput":{"result":4}}`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// "stepwire scenario run --target endpoint" drives a running "stepwire up"
// through its wire alone, found by its data directory's endpoints.json:
// a scenario that lists the endpoint target runs on wall time, one that
// does not is skipped with its reason.
func TestScenarioRunOnEndpoint(t *testing.T) {
	t.Setenv("AWS_ENDPOINT_URL", "")
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	upDone := make(chan error, 1)
	go func() {
		upDone <- up(ctx, []string{"--template", "../../template.yaml", "--data-dir", dir, "--http", "127.0.0.1:0", "--mqtt", "127.0.0.1:0"})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-upDone; err != nil {
			t.Errorf("up: %v", err)
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := os.Stat(filepath.Join(dir, "endpoints.json")); err == nil {
			break
		}
		select {
		case err := <-upDone:
			t.Fatalf("up ended: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("stepwire up wrote no endpoints.json")
		}
		time.Sleep(20 * time.Millisecond) // polling for the file
	}
	var out bytes.Buffer
	err := scenarioRun(context.Background(), []string{"--target", "endpoint", "--data-dir", dir,
		"../../scenarios/sample.yaml", "../../scenarios/wait-24h.yaml"}, &out)
	if err != nil {
		t.Fatalf("scenario run: %v\n%s", err, out.String())
	}
	for _, want := range []string{"ok   sample job succeeds (", "SKIP a 24-hour Wait, then the job is dispatched (../../scenarios/wait-24h.yaml): not on the endpoint target (targets: inprocess): ",
		"scenarios: 1 passed, 0 failed\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestScenarioRunUnknownTarget(t *testing.T) {
	err := scenarioRun(context.Background(), []string{"--target", "cloud", "x.yaml"}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), `target "cloud": want inprocess, endpoint or aws`) {
		t.Fatalf("err = %v", err)
	}
}
