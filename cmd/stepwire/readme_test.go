package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stepwire/stepwire/internal/awscli"
)

// readmeEndpoint is the API address the README's commands use.
const readmeEndpoint = "http://127.0.0.1:4566"

// The README's aws CLI commands work as printed: every ```sh block that
// runs `aws` is run by bash, in order, against `stepwire up` started with
// the repository's template and sample mock config. The environment holds
// nothing the README does not export (no region, no profile), so a block
// that forgets a setting fails here as it would for a newcomer. They run
// with Debian's CLI and with whatever other `aws` comes first on PATH (an
// aws-cli v1, for one, reads AWS_DEFAULT_REGION but not AWS_REGION).
func TestREADMECommands(t *testing.T) {
	blocks := readmeAWSBlocks(t, "../../README.md", "sh")
	if len(blocks) < 2 {
		t.Fatalf("README has %d aws blocks; the test reads the wrong file", len(blocks))
	}
	endpoint := startUp(t, "--template", "../../template.yaml", "--mock-config", "../../statemachine/MockConfigFile.json")
	for _, cli := range awsCLIs(t) {
		t.Run(cli, func(t *testing.T) { runREADMEBlocks(t, cli, endpoint, blocks) })
	}
}

// The README's compose commands (```sh compose blocks) work as printed
// against the template docker-compose.yml runs.
func TestREADMEComposeCommands(t *testing.T) {
	blocks := readmeAWSBlocks(t, "../../README.md", "sh compose")
	if len(blocks) == 0 {
		t.Fatal("README has no sh compose block")
	}
	endpoint := startUp(t, "--template", "../../e2e/two-tenants.yaml")
	runREADMEBlocks(t, awscli.Path(t), endpoint, blocks)
}

// awsCLIs lists the distinct aws CLIs of this machine: Debian's, and the
// one first on PATH.
func awsCLIs(t *testing.T) []string {
	clis := []string{awscli.Path(t)}
	p, err := exec.LookPath("aws")
	if err != nil {
		return clis
	}
	a, _ := filepath.EvalSymlinks(p)
	b, _ := filepath.EvalSymlinks(clis[0])
	if a != b {
		clis = append(clis, p)
	}
	return clis
}

// runREADMEBlocks runs each block after those before it, with cli as aws.
func runREADMEBlocks(t *testing.T, cli, endpoint string, blocks []string) {
	bin := t.TempDir()
	if err := os.Symlink(cli, filepath.Join(bin, "aws")); err != nil {
		t.Fatal(err)
	}
	for i, block := range blocks {
		script := "set -euo pipefail\n" + strings.Join(blocks[:i], "\n") + "\n" + block
		script = strings.ReplaceAll(script, readmeEndpoint, endpoint)
		cmd := exec.Command("bash", "-c", script)
		cmd.Env = []string{"PATH=" + bin + ":/usr/bin:/bin", "HOME=" + t.TempDir()}
		cmd.Env = append(cmd.Env, awscli.Isolated...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("README block %d failed: %v\n%s\n--- output\n%s", i+1, err, block, out)
		}
		if strings.Contains(block, "start-execution") && !strings.Contains(string(out), `"executionArn"`) {
			t.Errorf("README block %d started no execution:\n%s", i+1, out)
		}
	}
}

// readmeAWSBlocks returns the blocks of the README fenced ```<info> that
// run the aws CLI, with their export lines.
func readmeAWSBlocks(t *testing.T, path, info string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	for _, m := range regexp.MustCompile("(?s)```"+regexp.QuoteMeta(info)+"\n(.*?)```").FindAllStringSubmatch(string(data), -1) {
		if regexp.MustCompile(`(?m)^aws `).MatchString(m[1]) {
			blocks = append(blocks, m[1])
		}
	}
	return blocks
}

// startUp runs `stepwire up` with args on free ports until the test ends
// and returns its API endpoint.
func startUp(t *testing.T, args ...string) string {
	t.Helper()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- up(ctx, append([]string{"--http", "127.0.0.1:0", "--mqtt", "127.0.0.1:0", "--data-dir", dir}, args...))
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("up: %v", err)
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		var ep struct{ HTTP string }
		if b, err := os.ReadFile(filepath.Join(dir, "endpoints.json")); err == nil && json.Unmarshal(b, &ep) == nil && ep.HTTP != "" {
			return ep.HTTP
		}
		select {
		case err := <-done:
			t.Fatalf("up ended: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatal("up wrote no endpoints.json in 30s")
	return ""
}
