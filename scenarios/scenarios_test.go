package scenarios

import (
	"flag"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata/")

// TestScenarios runs every scenario file in this folder in-process, checks
// its expectations and compares its transcript with
// testdata/<scenario>.golden (-update rewrites them).
func TestScenarios(t *testing.T) {
	files, err := filepath.Glob("*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			_, pending, err := Play(t, f, InProcess{}, *update)
			if pending != "" {
				t.Skip("pending: " + pending)
			}
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// The library holds the users' questions: at least twenty files, each
// saying which question it answers.
func TestLibrary(t *testing.T) {
	files, _ := filepath.Glob("*.yaml")
	for _, f := range files {
		s, err := Load(f)
		if err != nil {
			t.Fatal(err)
		}
		if s.Question == "" {
			t.Errorf("%s: no question", f)
		}
	}
}

// RunFile runs a scenario outside go test: a passing file passes, and a
// failing one reports what differs.
func TestRunFile(t *testing.T) {
	if r := RunFile("sample.yaml", InProcess{}, false); r.Err != nil || r.Name != "sample job succeeds" {
		t.Fatalf("sample.yaml: %+v", r)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	writeFile(t, bad, "name: wrong sum\ntemplate: "+abs(t, "../template.yaml")+"\nstateMachine: MqttBasedStateMachine\n"+
		"input: {a: 1, b: 2}\nworker: run\nexpect: {status: SUCCEEDED, output: {lambdaOutput: {result: 4}}}\n")
	r := RunFile(bad, InProcess{}, false)
	if r.Err == nil || !contains(r.Err.Error(), `output = {"a":1,"b":2,"lambdaOutput":{"result":3}}`) {
		t.Fatalf("bad.yaml: %v", r.Err)
	}
}

func TestCheckReportsMismatches(t *testing.T) {
	s := &Scenario{Name: "x", Expect: Expect{Status: "SUCCEEDED", Output: map[string]any{"a": 1.0}, History: []string{"ExecutionStarted"}}}
	if err := s.Check(Result{Status: "SUCCEEDED", Output: `{"a":1}`, History: []string{"ExecutionStarted"}}); err != nil {
		t.Fatalf("matching result: %v", err)
	}
	if err := s.Check(Result{Status: "FAILED", Output: `{"a":2}`}); err == nil {
		t.Fatal("mismatching result passed")
	}
}
