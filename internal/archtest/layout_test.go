package archtest

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The README's Layout section names every top-level directory and every
// package, so a newcomer's map of the repository stays whole. A package
// may be named by its path, or by its last element in a comma list after
// its parent ("emulator/asl/jsonpath, jsonata").
func TestREADMELayout(t *testing.T) {
	root := repoRoot(t)
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)## Layout\n+```\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README has no Layout section with a code block")
	}
	layout := string(m[1])
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") && e.Name() != "bin" && !strings.Contains(layout, e.Name()+"/") {
			t.Errorf("README Layout does not name the directory %s/", e.Name())
		}
	}
	for p := range loadPackages(t, root) {
		rel := strings.TrimPrefix(strings.TrimPrefix(p, module), "/")
		if rel != "" && !namesPackage(layout, rel) {
			t.Errorf("README Layout does not name the package %s", rel)
		}
	}
}

// namesPackage reports whether the layout names the package at rel.
func namesPackage(layout, rel string) bool {
	if regexp.MustCompile(`(^|[\s,])` + regexp.QuoteMeta(rel) + `/?([\s,]|$)`).MatchString(layout) {
		return true
	}
	parent, base := path.Dir(rel), path.Base(rel)
	for _, line := range strings.Split(layout, "\n") {
		if strings.Contains(line, parent+"/") && regexp.MustCompile(`,\s*`+regexp.QuoteMeta(base)+`([\s,]|$)`).MatchString(line) {
			return true
		}
	}
	return false
}
