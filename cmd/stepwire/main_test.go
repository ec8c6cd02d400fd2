package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	name, err := templatePolicy("../../template.yaml")
	if err != nil || name != "OnPremContainer" {
		t.Fatalf("templatePolicy = %q, %v", name, err)
	}
}
