package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/smithy-go"
)

// `up --credentials FILE` lets in requests signed with the file's keys
// and only those.
func TestUpChecksSignaturesWithACredentialsFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "credentials")
	if err := os.WriteFile(file, []byte("[ci]\naws_access_key_id = AKIDCI\naws_secret_access_key = ci-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	endpoint := startUp(t, "--template", "../../template.yaml", "--credentials", file)
	list := func(akid, secret string) error {
		c := sfn.New(sfn.Options{Region: "us-east-1", BaseEndpoint: aws.String(endpoint), RetryMaxAttempts: 1,
			Credentials: credentials.NewStaticCredentialsProvider(akid, secret, "")})
		_, err := c.ListStateMachines(context.Background(), &sfn.ListStateMachinesInput{})
		return err
	}
	if err := list("AKIDCI", "ci-secret"); err != nil {
		t.Fatalf("with the file's key: %v", err)
	}
	var ae smithy.APIError
	if err := list("test", "test"); !errors.As(err, &ae) || ae.ErrorCode() != "UnrecognizedClientException" {
		t.Fatalf("with dummy keys: err = %v, want UnrecognizedClientException", err)
	}
}

func TestUpRefusesABadCredentialsFile(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad")
	if err := os.WriteFile(bad, []byte("[ci]\naws_access_key_id = AKIDCI\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{
		filepath.Join(dir, "missing"): "no such file",
		bad:                           "needs both aws_access_key_id and aws_secret_access_key",
	} {
		err := up(context.Background(), []string{"--http", "127.0.0.1:0", "--mqtt", "127.0.0.1:0", "--data-dir", dir, "--credentials", file})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("--credentials %s: err = %v, want %q", file, err, want)
		}
	}
}

// `certs issue` reads the CA without signing and signs its IoT calls with
// the environment's key.
func TestCertsIssueSignsWithTheEnvironmentsKey(t *testing.T) {
	file := filepath.Join(t.TempDir(), "credentials")
	if err := os.WriteFile(file, []byte("[default]\naws_access_key_id = AKIDCI\naws_secret_access_key = ci-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	endpoint := startUp(t, "--template", "../../template.yaml", "--credentials", file)
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	issue := func() error {
		return certsIssue(context.Background(), []string{"--thing", "mqtt-container-client", "--out", t.TempDir(),
			"--endpoint", endpoint, "--template", "../../template.yaml"})
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDCI")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "ci-secret")
	if err := issue(); err != nil {
		t.Fatalf("with the key: %v", err)
	}
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wrong")
	if err := issue(); err == nil || !strings.Contains(err.Error(), "InvalidSignatureException") {
		t.Fatalf("with a wrong secret: err = %v, want InvalidSignatureException", err)
	}
}
