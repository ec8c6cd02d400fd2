package scenarios

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseScenario loads arbitrary scenario file bytes. A loaded scenario
// is valid (a name, stateMachine or definition, an
// expected status, a known worker mode), and a result that is exactly
// what the scenario expects passes its Check.
func FuzzParseScenario(f *testing.F) {
	for _, name := range []string{"sample.yaml", "heartbeat-timeout.yaml", "worker-failure.yaml"} {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"name: d\ndefinition: '{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}'\nexpect: {status: SUCCEEDED, output: {a: [1, 2.5, null, true]}, elapsed: 1h30m}\n",
		"name: x\nstateMachine: S\ndefinition: D\nexpect: {status: FAILED}\n",
		"name: x\nstateMachine: S\nworker: sometimes\nexpect: {status: FAILED}\n",
		"name: x\nstateMachine: S\ninput: {1: a, [b]: c}\nexpect: {status: S, output: .nan}\n",
		"name: x\nstateMachine: S\nexpect: {status: S, elapsed: 9999999999999999h}\n",
		"name: &n x\nstateMachine: *n\nexpect: {status: *n, history: [*n, *n]}\n",
		"a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\ninput: [*b, *b, *b, *b]\n",
		"name: [not, a, string]\n", "unknown: field\n", "", "---\n", "\xff\xfe", "name: \"\\ud800\"\n",
		"input: " + strings.Repeat("[", 3000) + strings.Repeat("]", 3000) + "\n",
	} {
		f.Add([]byte(s))
	}
	path := filepath.Join(f.TempDir(), "fuzz.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := Load(path)
		if err != nil {
			return
		}
		if s.Pending != "" {
			return
		}
		if s.Name == "" || (s.StateMachine == "" && s.Definition == "") || s.Expect.Status == "" ||
			!strings.Contains(" run silent none  ", " "+s.Worker+" ") {
			t.Fatalf("Load accepted an invalid scenario: %+v", s)
		}
		_ = s.TemplatePath()
		if in, err := s.InputJSON(); err == nil && !json.Valid([]byte(in)) {
			t.Fatalf("InputJSON gave invalid JSON %q", in)
		}
		e := s.Expect
		out, err := json.Marshal(e.Output)
		if err != nil {
			return // YAML values JSON cannot hold (NaN, non-string keys)
		}
		r := Result{Status: e.Status, Output: string(out), Error: e.Error, Cause: e.Cause, Elapsed: e.Elapsed, History: e.History}
		if err := s.Check(r); err != nil {
			t.Fatalf("the expected result fails Check: %v", err)
		}
	})
}
