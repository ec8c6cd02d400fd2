package archtest

import (
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/stepwire/stepwire"

// pureCores are deterministic: only the standard library's data packages,
// no network, files, clock or randomness (docs/architecture.md, "Dependency rules").
// internal/arn, the one ARN parser, is pure data too, so interp may use it;
// so is internal/jsonobj, which jobwire reads messages with.
var pureCores = []string{"emulator/asl", "emulator/interp", "emulator/iotemu/policy", "emulator/iotemu/rules", "internal/jobwire", "internal/arn", "internal/jsonobj", "emulator/events/pattern", "emulator/scheduler/schedexpr"}

// pureThirdParty are the third-party packages a pure core may import: the
// JSONata engine behind emulator/asl/jsonata (docs/jsonata-engine.md), pure
// computation whose clock and random functions ($now, $millis, $random,
// $shuffle) the adapter rebinds to the values the interpreter injects; and
// the AWS SDK's ARN parser (strings and errors only) behind internal/arn.
var pureThirdParty = []string{"github.com/xiatechs/jsonata-go", "github.com/aws/aws-sdk-go-v2/aws/arn"}

// forbiddenInPure are standard packages that bring I/O or randomness.
var forbiddenInPure = []string{"net", "os", "os/exec", "syscall", "math/rand", "math/rand/v2", "crypto/rand", "io/fs", "log", "log/slog", "sync"}

// clockCalls are time functions that read or wait on the wall clock.
var clockCalls = map[string]bool{"Now": true, "Since": true, "Until": true, "Sleep": true, "After": true, "AfterFunc": true, "NewTimer": true, "NewTicker": true, "Tick": true}

// services must not import each other: the composition root wires them.
var services = []string{"emulator/sfnemu", "emulator/iotemu", "emulator/lambdaemu", "emulator/events", "emulator/scheduler"}

// wireLayers serve a service's typed API over an AWS protocol. The domain
// packages (the service and its subpackages other than the wire layer)
// never import them: only the wire layer knows the JSON shapes and the AWS
// error codes.
var wireLayers = []struct{ domain, wire []string }{
	{domain: []string{"emulator/sfnemu", "emulator/sfnemu/mockconfig"},
		wire: []string{"emulator/sfnemu/sfnapi", "emulator/awsapi"}},
	{domain: []string{"emulator/events", "emulator/events/pattern"},
		wire: []string{"emulator/events/eventsapi", "emulator/awsapi"}},
	{domain: []string{"emulator/scheduler", "emulator/scheduler/schedexpr"},
		wire: []string{"emulator/scheduler/schedulerapi", "emulator/awsapi"}},
}

// targetNeutral code runs unchanged on AWS and never imports the emulator.
var targetNeutral = []string{"worker", "lambdas", "cmd/stepwire-worker", "cmd/dispatch-lambda", "cmd/complete-lambda", "cmd/cancel-lambda"}

func TestDependencyDirection(t *testing.T) {
	root := repoRoot(t)
	pkgs := loadPackages(t, root)
	for _, p := range pureCores {
		for _, dep := range closure(pkgs, p) {
			if isModule(dep) && !under(dep, pureCores) {
				t.Errorf("%s imports %s: pure cores import only each other and the standard library", p, dep)
			}
			if !isModule(dep) && !isStd(dep) && !allowedThirdParty(dep) {
				t.Errorf("%s imports %s: the only third-party packages pure cores may use are %v", p, dep, pureThirdParty)
			}
			for _, f := range forbiddenInPure {
				if dep == f || strings.HasPrefix(dep, "net/") {
					t.Errorf("%s imports %s: pure cores do no I/O and draw no random numbers", p, dep)
					break
				}
			}
		}
		checkNoClockCalls(t, root, p)
	}
	for _, s := range services {
		for _, dep := range closure(pkgs, s) {
			for _, other := range services {
				if other != s && (dep == module+"/"+other || strings.HasPrefix(dep, module+"/"+other+"/")) && !strings.HasPrefix(dep, module+"/"+s+"/") {
					t.Errorf("%s imports %s: services do not import each other", s, dep)
				}
			}
		}
	}
	for _, l := range wireLayers {
		for _, d := range l.domain {
			for _, dep := range closure(pkgs, d) {
				if under(dep, l.wire) && isModule(dep) {
					t.Errorf("%s imports %s: the domain does not import its wire layer", d, dep)
				}
			}
		}
	}
	for p := range pkgs {
		if !under(p, targetNeutral) {
			continue
		}
		for _, dep := range closure(pkgs, strings.TrimPrefix(p, module+"/")) {
			if strings.HasPrefix(dep, module+"/emulator") {
				t.Errorf("%s imports %s: the worker and Lambdas never import the emulator", p, dep)
			}
		}
	}
}

// allowedThirdParty reports whether dep is, or is inside, one of
// pureThirdParty.
func allowedThirdParty(dep string) bool {
	for _, p := range pureThirdParty {
		if dep == p || strings.HasPrefix(dep, p+"/") {
			return true
		}
	}
	return false
}

func repoRoot(t *testing.T) string {
	dir, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Fatalf("repo root not found: %v", err)
	}
	return dir
}

// loadPackages maps every package of the module to its non-test imports.
func loadPackages(t *testing.T, root string) map[string][]string {
	pkgs := map[string][]string{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "bin" || name == "testdata") {
			return filepath.SkipDir
		}
		bp, err := build.ImportDir(path, 0)
		if err != nil {
			return nil // no Go files here
		}
		rel, _ := filepath.Rel(root, path)
		pkgs[module+"/"+filepath.ToSlash(rel)] = bp.Imports
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pkgs
}

// closure lists the transitive imports of the package at rel.
func closure(pkgs map[string][]string, rel string) []string {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(p string) {
		for _, dep := range pkgs[p] {
			if !seen[dep] {
				seen[dep] = true
				walk(dep)
			}
		}
	}
	walk(module + "/" + rel)
	out := make([]string, 0, len(seen))
	for d := range seen {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

// isStd reports a standard library import path (no dot in its first
// element).
func isStd(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	return !strings.Contains(first, ".")
}

func isModule(p string) bool { return strings.HasPrefix(p, module+"/") }

func under(p string, roots []string) bool {
	rel := strings.TrimPrefix(p, module+"/")
	for _, r := range roots {
		if rel == r || strings.HasPrefix(rel, r+"/") {
			return true
		}
	}
	return false
}

// checkNoClockCalls fails on time.Now and friends in a pure core's
// non-test sources (and its subpackages).
func checkNoClockCalls(t *testing.T, root, rel string) {
	_ = filepath.WalkDir(filepath.Join(root, rel), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			t.Errorf("parse %s: %v", path, err)
			return nil
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == "time" && clockCalls[sel.Sel.Name] {
				t.Errorf("%s: calls time.%s: pure cores get time from their caller", path, sel.Sel.Name)
			}
			return true
		})
		return nil
	})
}
