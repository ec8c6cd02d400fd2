package casematch

import (
	"path"
	"strings"
	"testing"
)

// EnvCases names more directories of *.json cases, separated by ':', that
// the replays read besides the repository's own.
const EnvCases = "STEPWIRE_CONFORMANCE_CASES"

// RepoCases is the repository's own recorded cases, relative to a package
// two levels below the repository root (emulator/asl, emulator/interp).
const RepoCases = "../../testdata/conformance/sfn/cases"

// CaseFiles lists the recorded cases a replay reads: every *.json file of
// RepoCases and of each directory in $STEPWIRE_CONFORMANCE_CASES. A
// directory that holds no case fails the test: a replay never passes by
// reading nothing. getenv and glob are os.Getenv and filepath.Glob; this
// package does no I/O of its own.
func CaseFiles(t testing.TB, getenv func(string) string, glob func(string) ([]string, error)) []string {
	t.Helper()
	dirs := []string{RepoCases}
	for _, d := range strings.Split(getenv(EnvCases), ":") {
		if d != "" && d != RepoCases {
			dirs = append(dirs, d)
		}
	}
	var files []string
	for _, dir := range dirs {
		found, err := glob(path.Join(dir, "*.json"))
		if err != nil || len(found) == 0 {
			t.Fatalf("conformance cases: %s holds no *.json case", dir)
		}
		files = append(files, found...)
	}
	return files
}
