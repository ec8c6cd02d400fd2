package casematch

import (
	"path"
	"testing"
)

// The environment variables that point tests at the recorded cases.
const (
	// EnvCases names the directory of *.json cases; it is looked at first.
	EnvCases = "STEPWIRE_CONFORMANCE_CASES"
	// EnvRequire set to 1 makes a missing directory fail the tests that
	// replay the cases instead of skipping them (the Makefile sets it).
	EnvRequire = "STEPWIRE_REQUIRE_CONFORMANCE"
)

// casesUnder is where the cases sit in a checkout of the shared material.
const casesUnder = "shared/conformance/sfn/cases"

// CasesDir finds the recorded cases for a test in a package two levels
// below the repository root (emulator/asl, emulator/interp): the directory
// in $STEPWIRE_CONFORMANCE_CASES, else the shared checkout beside the
// repository (../../../shared/...), else /work/shared/.... A directory
// named by the variable must hold cases. When none is found the test is
// skipped, or fails if $STEPWIRE_REQUIRE_CONFORMANCE is 1. getenv and glob
// are os.Getenv and filepath.Glob: this package does no I/O of its own.
func CasesDir(t testing.TB, getenv func(string) string, glob func(string) ([]string, error)) string {
	t.Helper()
	has := func(dir string) bool {
		files, err := glob(path.Join(dir, "*.json"))
		return err == nil && len(files) > 0
	}
	if dir := getenv(EnvCases); dir != "" {
		if !has(dir) {
			t.Fatalf("%s=%s holds no *.json cases", EnvCases, dir)
		}
		return dir
	}
	for _, dir := range []string{"../../../" + casesUnder, "/work/" + casesUnder} {
		if has(dir) {
			return dir
		}
	}
	if getenv(EnvRequire) == "1" {
		t.Fatalf("no conformance cases: set %s, or check out the shared material beside the repository (%s is 1)", EnvCases, EnvRequire)
	}
	t.Skipf("no conformance cases (set %s; %s=1 makes this a failure)", EnvCases, EnvRequire)
	return ""
}
