package store

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenCompactsAMostlyFreeFile: after most entries were deleted, the
// next Open shrinks the file and keeps what is left
// (docs/durability.md §4).
func TestOpenCompactsAMostlyFreeFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	big := []byte(strings.Repeat("x", 4096))
	var puts, dels []Op
	for i := range 3000 {
		puts = append(puts, Put("h", fmt.Sprintf("%05d", i), big))
		if i > 0 {
			dels = append(dels, Del("h", fmt.Sprintf("%05d", i)))
		}
	}
	if err := s.Apply(puts...); err != nil {
		t.Fatal(err)
	}
	if err := s.Apply(dels...); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before := fileSize(t, path)

	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if after := fileSize(t, path); after*2 > before {
		t.Errorf("file %d bytes after compaction, was %d", after, before)
	}
	if v, ok, _ := s.Get("h", "00000"); !ok || len(v) != len(big) {
		t.Error("the entry kept is gone after compaction")
	}
	if v, ok, _ := s.Get(metaBucket, "format"); !ok || string(v) != Format {
		t.Errorf("format stamp after compaction: %q", v)
	}
	if _, err := os.Stat(path + ".compact"); !os.IsNotExist(err) {
		t.Errorf("compaction left its copy: %v", err)
	}
	if err := s.Apply(Put("h", "new", nil)); err != nil {
		t.Errorf("write after compaction: %v", err)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
