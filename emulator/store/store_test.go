package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// open opens a Bolt whose log segments take limit bytes before a
// checkpoint.
func open(path string, limit int64) (*Bolt, error) {
	return OpenWith(path, Options{segLimit: limit})
}

// impls are the stores every behaviour test runs on.
var impls = []struct {
	name string
	open func(t testing.TB) Store
}{
	{"mem", func(testing.TB) Store { return NewMem() }},
	{"bolt", func(t testing.TB) Store {
		s, err := Open(filepath.Join(t.TempDir(), "state.db"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}},
	// bolt with a tiny log: a checkpoint every few commits.
	{"bolt-checkpoints", func(t testing.TB) Store {
		s, err := open(filepath.Join(t.TempDir(), "state.db"), 2<<10)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}},
	// bolt syncing each commit before it returns.
	{"bolt-sync-commit", func(t testing.TB) Store {
		s, err := OpenWith(filepath.Join(t.TempDir(), "state.db"), Options{Sync: SyncCommit, segLimit: 4 << 10})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}},
	{"sqlite", func(t testing.TB) Store {
		s, err := openSQLite(filepath.Join(t.TempDir(), "state.sqlite"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}},
}

func scanAll(t *testing.T, s Store, bucket, prefix string) []string {
	t.Helper()
	var out []string
	err := s.Scan(bucket, prefix, func(k string, v []byte) error {
		out = append(out, k+"="+string(v))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestStoreBehaviour(t *testing.T) {
	for _, im := range impls {
		t.Run(im.name, func(t *testing.T) {
			s := im.open(t)
			defer s.Close()
			if err := s.Apply(Put("a", "x/2", []byte("2")), Put("a", "x/1", []byte("1")), Put("a", "y/1", []byte("y")),
				Put("b", "x/1", []byte("b"))); err != nil {
				t.Fatal(err)
			}
			if err := s.Apply(Put("a", "x/1", []byte("one")), Del("a", "y/1"), Del("a", "missing")); err != nil {
				t.Fatal(err)
			}
			if got := scanAll(t, s, "a", "x/"); strings.Join(got, ",") != "x/1=one,x/2=2" {
				t.Errorf("scan a x/ = %v", got)
			}
			if got := scanAll(t, s, "a", ""); len(got) != 2 {
				t.Errorf("scan a = %v, want 2 entries", got)
			}
			if got := scanAll(t, s, "none", ""); len(got) != 0 {
				t.Errorf("scan of a missing bucket = %v", got)
			}
			v, ok, err := s.Get("b", "x/1")
			if err != nil || !ok || string(v) != "b" {
				t.Errorf("get b x/1 = %q %v %v", v, ok, err)
			}
			if _, ok, _ := s.Get("a", "y/1"); ok {
				t.Error("deleted key still there")
			}
			n := 0
			_ = s.Scan("a", "", func(string, []byte) error { n++; return ErrStop })
			if n != 1 {
				t.Errorf("ErrStop: %d calls", n)
			}
		})
	}
}

// TestConcurrentApplies checks that grouped commits answer each caller
// with its own batch written (docs/durability.md §2).
func TestConcurrentApplies(t *testing.T) {
	for _, im := range impls {
		t.Run(im.name, func(t *testing.T) {
			s := im.open(t)
			defer s.Close()
			var wg sync.WaitGroup
			for w := range 8 {
				wg.Go(func() {
					for i := range 50 {
						if err := s.Apply(Put("h", fmt.Sprintf("%d/%03d", w, i), []byte("e"))); err != nil {
							t.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			if got := len(scanAll(t, s, "h", "")); got != 400 {
				t.Errorf("%d entries, want 400", got)
			}
		})
	}
}

func TestBoltReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Apply(Put("a", "k", []byte("v"))); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := s.Apply(Put("a", "k2", nil)); !errors.Is(err, ErrClosed) {
		t.Errorf("apply after close: %v, want ErrClosed", err)
	}
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, ok, _ := s.Get("a", "k"); !ok || string(v) != "v" {
		t.Errorf("after reopen: %q %v", v, ok)
	}
}

// TestOpenRefusesForeignFiles: a file that is not stepwire's state gets
// an error naming it, and is left as it was (docs/durability.md §3).
func TestOpenRefusesForeignFiles(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.db")
	os.WriteFile(garbage, []byte(strings.Repeat("not a database\n", 1000)), 0o600)
	truncated := filepath.Join(dir, "truncated.db")
	os.WriteFile(truncated, []byte{1, 2, 3}, 0o600)
	foreign := filepath.Join(dir, "foreign.db")
	s, err := Open(foreign)
	if err != nil {
		t.Fatal(err)
	}
	s.Apply(Put(metaBucket, "format", []byte("someone-else/7")))
	s.Close()
	for _, path := range []string{garbage, truncated, foreign} {
		before, _ := os.ReadFile(path)
		_, err := Open(path)
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("Open(%s) = %v, want an error naming the file", filepath.Base(path), err)
		}
		after, _ := os.ReadFile(path)
		if string(before) != string(after) {
			t.Errorf("Open(%s) changed the file", filepath.Base(path))
		}
	}
}

func TestOpenRefusesALockedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := Open(path); err == nil || !strings.Contains(err.Error(), "locked") {
		t.Errorf("second Open = %v, want locked", err)
	}
}
