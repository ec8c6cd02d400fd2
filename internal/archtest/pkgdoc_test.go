package archtest

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every package says what it provides in a package doc comment (in a
// test file for packages made only of tests, such as bench).
func TestEveryPackageHasADocComment(t *testing.T) {
	root := repoRoot(t)
	for pkg := range loadPackages(t, root) {
		dir := filepath.Join(root, strings.TrimPrefix(pkg, module+"/"))
		if !hasDoc(t, dir) {
			t.Errorf("%s has no package doc comment", pkg)
		}
	}
}

func hasDoc(t *testing.T, dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	testsOnly := true
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".go") && !strings.HasSuffix(e.Name(), "_test.go") {
			testsOnly = false
		}
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || (strings.HasSuffix(name, "_test.go") && !testsOnly) {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, name), nil, parser.PackageClauseOnly|parser.ParseComments)
		if err != nil {
			t.Fatalf("parse %s: %v", name, err)
		}
		if f.Doc != nil && strings.TrimSpace(f.Doc.Text()) != "" {
			return true
		}
	}
	return false
}
