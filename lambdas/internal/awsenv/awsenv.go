// Package awsenv sets up the environment the Lambdas' NewFromEnv reads, for
// their tests: the AWS SDK pointed at a test server with static credentials
// and no shared configuration files.
package awsenv

import (
	"path/filepath"
	"testing"
)

// Set points the AWS SDK at url with static credentials and no shared
// configuration files, so the test is hermetic.
func Set(t *testing.T, url string) {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("AWS_ENDPOINT_URL", url)
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}
