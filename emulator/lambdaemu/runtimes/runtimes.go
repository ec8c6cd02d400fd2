// Package runtimes prepares the process of each Lambda runtime stepwire
// runs (docs/lambda.md §3): a provided runtime's bootstrap, found under
// CodeUri or built from a Go package there; the local Python 3 running
// stepwire's runtime interface client; the local Node.js running its
// JavaScript twin. Anything else is refused with an error naming the
// runtime.
package runtimes

import (
	_ "embed"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// Options say which function to prepare.
type Options struct {
	// Runtime and Handler as the template gives them.
	Runtime, Handler string
	// CodeDir is CodeUri resolved against the template's directory.
	CodeDir string
	// WorkDir is where built binaries and the runtime clients are
	// written; it is the function's own.
	WorkDir string
	// Logger gets the warnings (a Python version other than the
	// runtime's, a missing boto3).
	Logger *slog.Logger
}

// Launch is how to start one execution environment.
type Launch struct {
	// Command is the process to run, in CodeDir.
	Command []string
	// Env is what the runtime adds to Lambda's variables
	// (AWS_EXECUTION_ENV, LAMBDA_RUNTIME_DIR, ...).
	Env []string
}

// Prepare builds or writes what the runtime needs and says how to start
// it.
func Prepare(o Options) (Launch, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if fi, err := os.Stat(o.CodeDir); err != nil || !fi.IsDir() {
		return Launch{}, fmt.Errorf("CodeUri %s: not a directory", o.CodeDir)
	}
	if err := os.MkdirAll(o.WorkDir, 0o700); err != nil {
		return Launch{}, fmt.Errorf("work dir: %w", err)
	}
	switch rt := o.Runtime; {
	case rt == "" || rt == "provided.al2023" || rt == "provided.al2" || rt == "provided" || rt == "go1.x":
		return provided(o)
	case strings.HasPrefix(rt, "python3."):
		return python(o)
	case strings.HasPrefix(rt, "nodejs"):
		return node(o)
	}
	return Launch{}, fmt.Errorf("runtime %s: stepwire runs provided.al2023, provided.al2, go1.x, python3.x and nodejs functions", o.Runtime)
}

// writeFile writes an embedded client into the work dir.
func writeFile(dir, name string, data []byte) (string, error) {
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		return "", fmt.Errorf("write %s: %w", name, err)
	}
	return p, nil
}
