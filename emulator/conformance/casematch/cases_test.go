package casematch

import (
	"fmt"
	"testing"
)

// fakeTB records how CaseFiles ended a test.
type fakeTB struct {
	testing.TB
	fatal string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.fatal = fmt.Sprintf(format, args...)
	panic(f)
}

// caseFiles runs CaseFiles over a fake file system of dirs, each holding
// one case, with env as the environment.
func caseFiles(env string, dirs ...string) (files []string, tb *fakeTB) {
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
		return nil, nil
	}
	getenv := func(k string) string {
		if k == EnvCases {
			return env
		}
		return ""
	}
	return CaseFiles(tb, getenv, glob), tb
}

// The replays always read the repository's cases, add the directories of
// the variable, and fail rather than pass on nothing.
func TestCaseFiles(t *testing.T) {
	tests := []struct {
		name, env string
		dirs      []string
		want      int
		fails     bool
	}{
		{name: "repository only", dirs: []string{RepoCases}, want: 1},
		{name: "extra directories", env: "/x:/y", dirs: []string{RepoCases, "/x", "/y"}, want: 3},
		{name: "repository named again", env: RepoCases, dirs: []string{RepoCases}, want: 1},
		{name: "empty entries", env: ":/x:", dirs: []string{RepoCases, "/x"}, want: 2},
		{name: "repository missing", dirs: nil, fails: true},
		{name: "extra directory empty", env: "/empty", dirs: []string{RepoCases}, fails: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, tb := caseFiles(tt.env, tt.dirs...)
			if tt.fails != (tb.fatal != "") {
				t.Fatalf("fatal = %q, want failure %v", tb.fatal, tt.fails)
			}
			if !tt.fails && len(files) != tt.want {
				t.Errorf("files = %v, want %d", files, tt.want)
			}
		})
	}
}
