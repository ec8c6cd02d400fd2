package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
