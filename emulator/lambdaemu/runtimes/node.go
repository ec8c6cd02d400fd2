package runtimes

import (
	_ "embed"
	"fmt"
	"os/exec"
)

//go:embed stepwire_ric.js
var nodeRIC []byte

// node runs the handler with stepwire's JavaScript runtime interface
// client on the local node (docs/lambda.md §3.3). The AWS SDK for
// JavaScript is not bundled: handlers may use Node's standard library.
func node(o Options) (Launch, error) {
	path, err := exec.LookPath("node")
	if err != nil {
		return Launch{}, fmt.Errorf("runtime %s: no node on PATH", o.Runtime)
	}
	ric, err := writeFile(o.WorkDir, "stepwire_ric.js", nodeRIC)
	if err != nil {
		return Launch{}, err
	}
	return Launch{Command: []string{path, ric}, Env: []string{
		"AWS_EXECUTION_ENV=AWS_Lambda_" + o.Runtime, "LAMBDA_RUNTIME_DIR=" + o.WorkDir, "NODE_PATH=" + o.CodeDir,
	}}, nil
}
