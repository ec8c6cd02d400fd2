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
	t.Parallel()
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
// saying which question it answers, where it runs and why not elsewhere;
// a file that lists a target asks for nothing that target refuses.
func TestLibrary(t *testing.T) {
	files, _ := filepath.Glob("*.yaml")
	if len(files) < 20 {
		t.Errorf("%d files in the library, want at least 20", len(files))
	}
	remote := map[string]Refuser{TargetEndpoint: Endpoint{}, TargetAWS: AWS{}}
	for _, f := range files {
		s, err := Load(f)
		if err != nil {
			t.Fatal(err)
		}
		if s.Question == "" {
			t.Errorf("%s: no question", f)
		}
		if s.Pending != "" {
			continue
		}
		if len(s.Targets) == 0 || len(s.Targets) < 3 && s.TargetsWhy == "" {
			t.Errorf("%s: says neither where it runs (targets) nor why not elsewhere (targetsWhy)", f)
		}
		for _, name := range s.Targets {
			if rf := remote[name]; rf != nil {
				if err := rf.Refuse(s); err != nil {
					t.Errorf("%s lists %s, which refuses it: %v", f, name, err)
				}
			}
		}
	}
}

// RunFile runs a scenario outside go test: a passing file passes, and a
// failing one reports what differs.
func TestRunFile(t *testing.T) {
	t.Parallel()
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
