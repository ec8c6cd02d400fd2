package scenarios

import (
	"path/filepath"
	"testing"
)

// TestScenarios runs every scenario file in this folder in-process.
func TestScenarios(t *testing.T) {
	files, err := filepath.Glob("*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			s, err := Load(f)
			if err != nil {
				t.Fatal(err)
			}
			r, err := InProcess{}.Run(t, s)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Check(r); err != nil {
				t.Fatal(err)
			}
		})
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
