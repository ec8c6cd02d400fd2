// Package awscli finds the real AWS CLI for the tests that drive stepwire
// with it, and gives them an environment that reads no user configuration.
package awscli

import (
	"os"
	"testing"
)

// Env is the variable that names the CLI; `make test` sets it after
// installing Debian's awscli.
const Env = "STEPWIRE_AWS_CLI"

// debian is where Debian's awscli package puts the CLI.
const debian = "/usr/bin/aws"

// Path returns the CLI named by $STEPWIRE_AWS_CLI (it must exist), else
// Debian's, else skips the test: `make test` always provides one.
func Path(t testing.TB) string {
	t.Helper()
	if p := os.Getenv(Env); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("%s=%s: %v", Env, p, err)
		}
		return p
	}
	if _, err := os.Stat(debian); err == nil {
		return debian
	}
	t.Skip("no AWS CLI: run through `make test`, which installs Debian's awscli")
	return ""
}

// Isolated is the environment settings that keep the CLI from reading the
// user's configuration or paging its output.
var Isolated = []string{"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER="}

// Environ is the process environment plus test credentials, the default
// region and Isolated: what a test's CLI call runs with.
func Environ() []string {
	env := append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION=us-east-1")
	return append(env, Isolated...)
}
