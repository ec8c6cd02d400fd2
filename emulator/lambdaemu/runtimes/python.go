package runtimes

import (
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
)

//go:embed stepwire_ric.py
var pythonRIC []byte

// PythonEnv names the Python interpreter to use instead of the search of
// pythonCandidates.
const PythonEnv = "STEPWIRE_PYTHON"

// python runs the handler with stepwire's runtime interface client
// (docs/lambda.md §3.2) on the first local interpreter that has boto3.
func python(o Options) (Launch, error) {
	py, err := pickPython(o)
	if err != nil {
		return Launch{}, err
	}
	ric, err := writeFile(o.WorkDir, "stepwire_ric.py", pythonRIC)
	if err != nil {
		return Launch{}, err
	}
	return Launch{Command: []string{py.path, "-u", ric}, Env: []string{
		"AWS_EXECUTION_ENV=AWS_Lambda_" + o.Runtime, "LAMBDA_RUNTIME_DIR=" + o.WorkDir,
		"PYTHONPATH=" + o.CodeDir, "PYTHONDONTWRITEBYTECODE=1",
	}}, nil
}

// pythonCandidates are the interpreters tried, in order: the runtime's
// own minor version, python3 on PATH, then Debian's, whose boto3 a
// virtualenv or pyenv python3 may hide.
func pythonCandidates(runtime string) []string {
	if p := os.Getenv(PythonEnv); p != "" {
		return []string{p}
	}
	return []string{runtime, "python3", "/usr/bin/python3"}
}

type pyInfo struct {
	path, version string
	boto3         bool
}

var probes sync.Map // interpreter → pyInfo

// probe runs the interpreter once to learn its version and whether it has
// boto3.
func probe(name string) (pyInfo, bool) {
	if v, ok := probes.Load(name); ok {
		return v.(pyInfo), true
	}
	path, err := exec.LookPath(name)
	if err != nil {
		return pyInfo{}, false
	}
	out, err := exec.Command(path, "-c",
		"import sys\nprint('%d.%d' % sys.version_info[:2])\ntry:\n import boto3\n print('boto3')\nexcept ImportError:\n pass").Output()
	if err != nil {
		return pyInfo{}, false
	}
	f := strings.Fields(string(out))
	if len(f) == 0 {
		return pyInfo{}, false
	}
	info := pyInfo{path: path, version: f[0], boto3: len(f) > 1}
	probes.Store(name, info)
	return info, true
}

func pickPython(o Options) (pyInfo, error) {
	var first *pyInfo
	for _, c := range pythonCandidates(o.Runtime) {
		info, ok := probe(c)
		if !ok {
			continue
		}
		if first == nil {
			first = &info
		}
		if info.boto3 {
			first = &info
			break
		}
	}
	if first == nil {
		return pyInfo{}, fmt.Errorf("runtime %s: no Python 3 interpreter found (tried %s; set %s)",
			o.Runtime, strings.Join(pythonCandidates(o.Runtime), ", "), PythonEnv)
	}
	if want := strings.TrimPrefix(o.Runtime, "python"); first.version != want {
		o.Logger.Warn("python version differs from the function's runtime", "runtime", o.Runtime,
			"python", first.path, "version", first.version)
	}
	if !first.boto3 {
		o.Logger.Warn("boto3 is not installed: handlers that import it fail (Debian: apt-get install python3-boto3; else pip install boto3)",
			"runtime", o.Runtime, "python", first.path)
	}
	return *first, nil
}
