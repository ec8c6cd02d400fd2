package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stepwire/stepwire/emulator/emulatortest"
)

// TestCertsIssueFileModes: the key is written 0600 and the certificates
// 0644 whatever was in the directory: a 0644 key, a 0600 certificate, a
// key that is a symlink to another file (left untouched).
func TestCertsIssueFileModes(t *testing.T) {
	srv := emulatortest.New(t, emulatortest.WithTemplate("../../template.yaml"))
	out, other := t.TempDir(), filepath.Join(t.TempDir(), "elsewhere")
	for name, mode := range map[string]os.FileMode{"priv.key": 0o644, "cert.pem": 0o600} {
		if err := os.WriteFile(filepath.Join(out, name), []byte("old"), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(filepath.Join(out, name), mode); err != nil { // umask
			t.Fatal(err)
		}
	}
	issue := func() {
		t.Helper()
		err := certsIssue(context.Background(), []string{"--thing", "mqtt-container-client", "--out", out,
			"--template", "../../template.yaml", "--endpoint", srv.Endpoints().HTTP})
		if err != nil {
			t.Fatal(err)
		}
		for name, want := range map[string]os.FileMode{"priv.key": 0o600, "cert.pem": 0o644, "root-CA.crt": 0o644} {
			fi, err := os.Lstat(filepath.Join(out, name))
			if err != nil {
				t.Fatal(err)
			}
			if !fi.Mode().IsRegular() || fi.Mode().Perm() != want {
				t.Errorf("%s: mode %v, want %v", name, fi.Mode(), want)
			}
		}
	}
	issue()
	if err := os.WriteFile(other, []byte("not a key"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(out, "priv.key")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(other, filepath.Join(out, "priv.key")); err != nil {
		t.Fatal(err)
	}
	issue()
	if b, err := os.ReadFile(other); err != nil || string(b) != "not a key" {
		t.Errorf("the symlink's target was written: %q, %v", b, err)
	}
}
