package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stepwire/stepwire/emulator/template"
)

func TestRunRejectsUnknownCommands(t *testing.T) {
	for _, args := range [][]string{nil, {"nope"}, {"certs"}, {"certs", "revoke"}} {
		if err := run(context.Background(), args); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}

func TestParamFlags(t *testing.T) {
	var p paramFlags
	if err := p.Set("WorkerTopic=tenant9/jobs"); err != nil {
		t.Fatal(err)
	}
	if err := p.Set("novalue"); err == nil {
		t.Fatal("NAME without =VALUE accepted")
	}
	if p.m["WorkerTopic"] != "tenant9/jobs" {
		t.Fatalf("params = %v", p.m)
	}
}

func TestEndpointURLPrecedence(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "endpoints.json"), []byte(`{"http":"http://127.0.0.1:1111"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_ENDPOINT_URL", "")
	if got := endpointURL("", dir); got != "http://127.0.0.1:1111" {
		t.Errorf("from endpoints.json: %s", got)
	}
	t.Setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:2222")
	if got := endpointURL("", dir); got != "http://127.0.0.1:2222" {
		t.Errorf("from AWS_ENDPOINT_URL: %s", got)
	}
	if got := endpointURL("http://flag", dir); got != "http://flag" {
		t.Errorf("from flag: %s", got)
	}
	t.Setenv("AWS_ENDPOINT_URL", "")
	if got := endpointURL("", t.TempDir()); !strings.HasSuffix(got, ":4566") {
		t.Errorf("default: %s", got)
	}
}

func TestTemplatePolicyDefault(t *testing.T) {
	name, err := templatePolicy("../../template.yaml", template.Options{Region: "us-east-1", Account: "123456789012"})
	if err != nil || name != "OnPremContainer" {
		t.Fatalf("templatePolicy = %q, %v", name, err)
	}
}

// certs issue resolves the template's policy name with the parameter
// overrides, region and account given to it, as stepwire up does.
func TestCertsIssuePolicyFromParams(t *testing.T) {
	tpl := filepath.Join(t.TempDir(), "template.yaml")
	body := `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Tenant:
    Type: String
    Default: tenant1
Resources:
  WorkerPolicy:
    Type: AWS::IoT::Policy
    Properties:
      PolicyName: !Sub ${Tenant}-worker-${AWS::Region}-${AWS::AccountId}
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action: iot:Connect
            Resource: '*'
`
	if err := os.WriteFile(tpl, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want string
	}{
		{nil, "tenant1-worker-us-east-1-123456789012"},
		{[]string{"--param", "Tenant=acme", "--region", "eu-west-1", "--account", "111122223333"}, "acme-worker-eu-west-1-111122223333"},
	}
	for _, tt := range tests {
		o, err := parseIssueFlags(append([]string{"--thing", "w1", "--out", t.TempDir(), "--template", tpl}, tt.args...))
		if err != nil {
			t.Fatalf("parseIssueFlags(%q): %v", tt.args, err)
		}
		name, err := templatePolicy(o.template, o.tpl)
		if err != nil || name != tt.want {
			t.Errorf("policy for %q = %q, %v; want %q", tt.args, name, err, tt.want)
		}
	}
	if _, err := parseIssueFlags([]string{"--thing", "w1", "--out", "d", "--param", "novalue"}); err == nil {
		t.Error("--param without =VALUE accepted")
	}
}
