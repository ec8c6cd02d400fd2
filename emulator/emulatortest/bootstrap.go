package emulatortest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// bootstrapLambdas are the repository's Lambdas: their CodeUri name and
// their main package, relative to the repository root.
var bootstrapLambdas = map[string]string{
	"dispatch": "./cmd/dispatch-lambda",
	"complete": "./cmd/complete-lambda",
	"cancel":   "./cmd/cancel-lambda",
}

// BootstrapTemplate lays out, in a temporary directory, the repository's
// template and state machine beside its Lambdas built as `bootstrap`
// executables for this machine, where the template's CodeUri
// (bin/lambda/<name>/) looks for them, as `make lambdas` and `sam build`
// leave them. It returns the template's path, for WithTemplate with
// WithLambdaMode(emulator.LambdaProcess): the very artifacts deployed to
// AWS, run under the Lambda Runtime API. root is the repository root.
func BootstrapTemplate(t testing.TB, root string) string {
	t.Helper()
	dir := t.TempDir()
	for name, pkg := range bootstrapLambdas {
		out := filepath.Join(dir, "bin", "lambda", name, "bootstrap")
		cmd := exec.Command("go", "build", "-tags", "lambda.norpc", "-o", out, pkg)
		cmd.Dir = root
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("emulatortest: build %s: %v\n%s", pkg, err, b)
		}
	}
	for _, f := range []string{"template.yaml", "statemachine/statemachine.asl.json"} {
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatalf("emulatortest: %v", err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, f)), 0o755); err != nil {
			t.Fatalf("emulatortest: %v", err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatalf("emulatortest: %v", err)
		}
	}
	return filepath.Join(dir, "template.yaml")
}
