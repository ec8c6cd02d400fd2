package runtimes

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// maxBuildOutput bounds the compiler output quoted in an error.
const maxBuildOutput = 4 << 10

// provided finds the bootstrap executable under CodeDir, as `sam build`
// leaves it (for go1.x, the Handler names the binary), or builds the Go
// package in CodeDir into the work dir (docs/lambda.md §3.1).
func provided(o Options) (Launch, error) {
	names := []string{"bootstrap"}
	if o.Runtime == "go1.x" && o.Handler != "" {
		names = append([]string{o.Handler}, names...)
	}
	for _, n := range names {
		p := filepath.Join(o.CodeDir, n)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			if fi.Mode()&0o111 == 0 {
				return Launch{}, fmt.Errorf("CodeUri %s: %s is not executable", o.CodeDir, n)
			}
			return Launch{Command: []string{p}}, nil
		}
	}
	gofiles, _ := filepath.Glob(filepath.Join(o.CodeDir, "*.go"))
	if len(gofiles) == 0 {
		return Launch{}, fmt.Errorf("CodeUri %s: no bootstrap executable and no Go package to build (run sam build, or make lambdas for stepwire's own)", o.CodeDir)
	}
	out, err := buildGo(o.CodeDir, filepath.Join(o.WorkDir, "bootstrap"))
	if err != nil {
		return Launch{}, err
	}
	return Launch{Command: []string{out}}, nil
}

// buildGo builds the Go main package in dir, as `make lambdas` does
// (-tags lambda.norpc), for the local machine.
func buildGo(dir, out string) (string, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("CodeUri %s: no bootstrap, and no go command on PATH to build the Go package there", dir)
	}
	cmd := exec.Command(goBin, "build", "-tags", "lambda.norpc", "-o", out, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Run(); err != nil {
		msg := buf.Bytes()
		if len(msg) > maxBuildOutput {
			msg = msg[:maxBuildOutput]
		}
		return "", fmt.Errorf("CodeUri %s: go build: %v\n%s", dir, err, bytes.TrimSpace(msg))
	}
	return out, nil
}
