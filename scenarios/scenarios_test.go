package scenarios

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata/")

// TestScenarios runs every scenario file in this folder in-process, checks
// its expectations and compares the execution's normalised history with
// testdata/<scenario>.golden (-update rewrites them).
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
			checkGolden(t, filepath.Join("testdata", strings.TrimSuffix(f, ".yaml")+".golden"), r.Transcript)
		})
	}
}

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./scenarios -update to write it)", err)
	}
	if string(want) != got {
		t.Fatalf("transcript differs from %s (-update rewrites it after a deliberate change)\n--- want\n%s--- got\n%s", path, want, got)
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
