package conformance

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fnDef calls function f twice: from a state the case mocks, then from
// the child executions of a Distributed Map, which no mock reaches.
const fnDef = `{"StartAt":"Mocked","States":{
	"Mocked":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:111111111111:function:f","ResultPath":"$.mocked","Next":"Map"},
	"Map":{"Type":"Map","ItemsPath":"$.items","ResultPath":"$.results","End":true,"ItemProcessor":{
		"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
		"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:111111111111:function:f","End":true}}}}}}`

var fnCases = map[string]string{
	// Listed in functions.json: the Map's children run the handler; the
	// mocked state keeps its recorded result.
	"deployed.json": `{"id":"t/deployed","category":"map","tags":["distributed_map","lambda"],
		"source":{"test":"tests/t.py::test_deployed"},"definition":` + fnDef + `,"input":{"items":[1,2]},
		"mocks":{"Mocked":{"0":{"Return":{"from":"mock"}}}},
		"expect":{"status":"SUCCEEDED","output":{"items":[1,2],"mocked":{"from":"mock"},"results":[{"got":1},{"got":2}]}}}`,
	// Not listed: the same function does not exist for this case.
	"undeployed.json": `{"id":"t/undeployed","category":"map","tags":["lambda"],
		"source":{"test":"tests/t.py::test_undeployed"},"input":{},
		"definition":{"StartAt":"Call","States":{"Call":{"Type":"Task","End":true,
			"Resource":"arn:aws:lambda:us-east-1:111111111111:function:f"}}},
		"expect":{"status":"FAILED","error":"Lambda.ResourceNotFoundException","cause":"<any>"}}`,
}

// fnEntry is functions.json's entry for t/deployed.
const fnEntry = `{"case":"t/deployed","function":"arn:aws:lambda:us-east-1:111111111111:function:f",
	"runtime":"python3.12","handler":"h.handler","code":"fns",
	"source":{"test":"tests/t.py::test_deployed","function_file":"tests/fns/h.py"}}`

// writeFnCases lays out a case directory with functions.json beside it,
// as testdata/conformance/sfn has them, and returns the case directory.
func writeFnCases(t *testing.T, entries string) string {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "cases")
	for _, d := range []string{dir, filepath.Join(root, "fns")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string]string{
		filepath.Join(root, "fns", "h.py"):    "def handler(event, context):\n    return {'got': event}\n",
		filepath.Join(root, FunctionsFile):    `{"functions":[` + entries + `]}`,
		filepath.Join(dir, "deployed.json"):   fnCases["deployed.json"],
		filepath.Join(dir, "undeployed.json"): fnCases["undeployed.json"],
	}
	for p, doc := range files {
		if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestDeployedFunctions(t *testing.T) {
	loaded, err := Load(writeFnCases(t, fnEntry) + string(filepath.Separator))
	if err != nil {
		t.Fatal(err)
	}
	results := RunAll(loaded, 2)
	for _, r := range results {
		if r.Err != nil {
			t.Errorf("%s: %v", r.Case.ID, r.Err)
		}
		if n := len(r.Case.Functions); (r.Case.ID == "t/deployed") != (n == 1) {
			t.Errorf("%s has %d deployed functions", r.Case.ID, n)
		}
	}
	var out strings.Builder
	PrintDeployed(&out, Summarise(results))
	if got, want := out.String(), "ran the Lambda functions their tests deployed (functions.json): 1 cases\n"; got != want {
		t.Errorf("PrintDeployed wrote %q, want %q", got, want)
	}
}

func TestDeployedFunctionsFileIsChecked(t *testing.T) {
	for _, tc := range []struct{ entry, want string }{
		{strings.Replace(fnEntry, `"t/deployed"`, `"t/other"`, 1), `no case "t/other"`},
		{strings.Replace(fnEntry, `test_deployed"`, `test_other"`, 1), `cites test "tests/t.py::test_other"`},
		{strings.Replace(fnEntry, `function:f"`, `function:g"`, 1), `does not name function`},
		{strings.Replace(fnEntry, `,"function_file":"tests/fns/h.py"`, ``, 1), `source.function_file`},
		{strings.Replace(fnEntry, `"handler":"h.handler",`, ``, 1), `handler`},
		{`1`, `entry 0: case, function`},
	} {
		_, err := Load(writeFnCases(t, tc.entry))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("entry %s: err %v, want %q", tc.entry, err, tc.want)
		}
	}
}
