package casematch

import (
	"errors"
	"fmt"
	"testing"
)

// fakeTB records how CasesDir ended a test.
type fakeTB struct {
	testing.TB
	fatal, skip string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.fatal = fmt.Sprintf(format, args...)
	panic(f)
}
func (f *fakeTB) Skipf(format string, args ...any) {
	f.skip = fmt.Sprintf(format, args...)
	panic(f)
}

func casesDir(env map[string]string, dirs ...string) (dir string, tb *fakeTB) {
	tb = &fakeTB{}
	defer func() {
		if r := recover(); r != nil && r != tb {
			panic(r)
		}
	}()
	glob := func(pattern string) ([]string, error) {
		for _, d := range dirs {
			if pattern == d+"/*.json" {
				return []string{d + "/a.json"}, nil
			}
		}
		return nil, errors.New("none")
	}
	return CasesDir(tb, func(k string) string { return env[k] }, glob), tb
}

// The floors of the conformance replays must be able to fail on any
// machine: the variable comes first, then the shared checkout beside the
// repository, then /work/shared; with none, the tests skip unless
// STEPWIRE_REQUIRE_CONFORMANCE=1 makes that a failure.
func TestCasesDir(t *testing.T) {
	if dir, _ := casesDir(map[string]string{EnvCases: "/x"}, "/x", "../../../"+casesUnder); dir != "/x" {
		t.Errorf("variable: %q", dir)
	}
	if _, tb := casesDir(map[string]string{EnvCases: "/empty"}, "../../../"+casesUnder); tb.fatal == "" {
		t.Error("a variable naming no cases did not fail")
	}
	if dir, _ := casesDir(nil, "../../../"+casesUnder, "/work/"+casesUnder); dir != "../../../"+casesUnder {
		t.Errorf("sibling checkout: %q", dir)
	}
	if dir, _ := casesDir(nil, "/work/"+casesUnder); dir != "/work/"+casesUnder {
		t.Errorf("/work/shared: %q", dir)
	}
	if _, tb := casesDir(nil); tb.skip == "" || tb.fatal != "" {
		t.Errorf("none found: skip %q, fatal %q", tb.skip, tb.fatal)
	}
	if _, tb := casesDir(map[string]string{EnvRequire: "1"}); tb.fatal == "" {
		t.Error("none found with the requirement set did not fail")
	}
}
