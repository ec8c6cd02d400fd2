package archtest

import (
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// targetKnowledge is what would let code tell the local emulator from AWS:
// the target and stack-discovery packages, and CloudFormation's client.
var targetKnowledge = []string{module + "/internal/target", module + "/internal/stack",
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"}

// targetSettings are the environment variables that choose the target.
var targetSettings = []string{"TARGET", "STACK_NAME"}

// TestNothingKnowsItsTarget: no code path of the worker or the Lambdas
// branches on the target (README, "Targeting AWS"). Neither they nor
// anything they import reaches the target or discovery packages, and no
// string in their code names the settings that pick the target, so no
// os.Getenv can read them.
func TestNothingKnowsItsTarget(t *testing.T) {
	root := repoRoot(t)
	pkgs := loadPackages(t, root)
	for p := range pkgs {
		if !under(p, targetNeutral) {
			continue
		}
		rel := strings.TrimPrefix(p, module+"/")
		deps := closure(pkgs, rel)
		for _, dep := range deps {
			if knowsTarget(dep) {
				t.Errorf("%s imports %s: the worker and Lambdas do not know their target", p, dep)
			}
		}
		for _, q := range append([]string{p}, deps...) {
			if isModule(q) {
				checkNoTargetSetting(t, root, strings.TrimPrefix(q, module+"/"), p)
			}
		}
	}
}

func knowsTarget(dep string) bool {
	for _, k := range targetKnowledge {
		if dep == k || strings.HasPrefix(dep, k+"/") {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkNoTargetSetting fails on a string literal naming a target setting
// in the non-test files of the package at rel, reached from from.
func checkNoTargetSetting(t *testing.T, root, rel, from string) {
	t.Helper()
	dir := filepath.Join(root, filepath.FromSlash(rel))
	bp, err := build.ImportDir(dir, 0)
	if err != nil {
		return
	}
	fset := token.NewFileSet()
	for _, name := range bp.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			if s, err := strconv.Unquote(lit.Value); err == nil && contains(targetSettings, s) {
				t.Errorf("%s (imported by %s) names %q: the worker and Lambdas do not read the target", fset.Position(lit.Pos()), from, s)
			}
			return true
		})
	}
}
