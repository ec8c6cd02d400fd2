package store

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// crashCopy copies the state file at path and its log segments to a new
// directory, as a crash would leave them at this moment, and returns the
// copy's path. No commit may run meanwhile; a checkpoint may: the
// segments are copied first, and one a checkpoint deletes meanwhile is
// then in the state file copied after it.
func crashCopy(t *testing.T, path string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "state.db")
	segs, _ := filepath.Glob(path + ".wal.*")
	for _, n := range append(segs, path) {
		b, err := os.ReadFile(n)
		if os.IsNotExist(err) && n != path {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst+strings.TrimPrefix(n, path), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// crashedSegment logs 30 writes (openLogged) and returns the path of the
// live state file, of a crash copy of it (crashCopy) and of the copy's
// first segment. The live store closes at cleanup.
func crashedSegment(t *testing.T) (path, crashed, seg string) {
	t.Helper()
	s, path := openLogged(t, 1<<30, 30)
	t.Cleanup(func() { s.Close() })
	crashed = crashCopy(t, path)
	return path, crashed, crashed + ".wal.00000001"
}

// openLogged opens a store at a new path whose log takes limit bytes
// before a checkpoint, with n puts and every third of them deleted.
func openLogged(t *testing.T, limit int64, n int) (*Bolt, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := open(path, limit)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if err := s.Apply(Put("k", fmt.Sprintf("%04d", i), []byte(fmt.Sprint(i)))); err != nil {
			t.Fatal(err)
		}
		if i%3 == 2 {
			if err := s.Apply(Del("k", fmt.Sprintf("%04d", i-1))); err != nil {
				t.Fatal(err)
			}
		}
	}
	return s, path
}

// wantLogged checks s holds what openLogged wrote.
func wantLogged(t *testing.T, s Store, n int) {
	t.Helper()
	var want []string
	for i := range n {
		if i%3 != 1 || i == n-1 {
			want = append(want, fmt.Sprintf("%04d=%d", i, i))
		}
	}
	if got := scanAll(t, s, "k", ""); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("scan = %v\nwant %v", got, want)
	}
}

// TestLogRecoversAfterCrash: writes acknowledged only in the log (no
// checkpoint yet) are there after a crash (docs/durability.md §2).
func TestLogRecoversAfterCrash(t *testing.T) {
	s, path := openLogged(t, 1<<30, 200)
	defer s.Close()
	crashed := crashCopy(t, path)
	if n, _ := filepath.Glob(crashed + ".wal.*"); len(n) != 1 {
		t.Fatalf("segments %v, want 1", n)
	}
	c, err := Open(crashed)
	if err != nil {
		t.Fatal(err)
	}
	wantLogged(t, c, 200)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if n, _ := filepath.Glob(crashed + ".wal.*"); len(n) != 0 {
		t.Errorf("segments %v left after Close", n)
	}
	c, err = Open(crashed) // now from bbolt alone
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	wantLogged(t, c, 200)
}

// TestCheckpointsKeepEverything: with a checkpoint every few commits,
// reads during and after see every write, and a reopen too.
func TestCheckpointsKeepEverything(t *testing.T) {
	s, path := openLogged(t, 1<<10, 600)
	wantLogged(t, s, 600)
	if v, ok, err := s.Get("k", "0001"); ok || err != nil {
		t.Errorf("get of a deleted key = %q %v %v", v, ok, err)
	}
	if v, ok, _ := s.Get("k", "0599"); !ok || string(v) != "599" {
		t.Errorf("get 0599 = %q %v", v, ok)
	}
	crashed := crashCopy(t, path) // may catch a checkpoint midway
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, crashed} {
		r, err := Open(p)
		if err != nil {
			t.Fatal(err)
		}
		wantLogged(t, r, 600)
		r.Close()
	}
}

// TestTornTailIsDropped: a record cut short by a crash (its Apply never
// returned) is dropped, and the segment cut back to its intact records.
func TestTornTailIsDropped(t *testing.T) {
	path, crashed, seg := crashedSegment(t)
	whole := appendRecord(nil, []Op{Put("k", "torn", []byte("never acknowledged"))})
	for _, tail := range [][]byte{whole[:5], whole[:len(whole)-1], bytes.Repeat([]byte{0}, 40)} {
		before, _ := os.ReadFile(seg)
		os.WriteFile(seg, append(bytes.Clone(before), tail...), 0o600)
		c, err := Open(crashed)
		if err != nil {
			t.Fatalf("open with a torn tail: %v", err)
		}
		if _, ok, _ := c.Get("k", "torn"); ok {
			t.Error("a torn record was applied")
		}
		wantLogged(t, c, 30)
		c.Close()
		crashed = crashCopy(t, path) // Close checkpointed the copy; start again
		seg = crashed + ".wal.00000001"
	}
}

// TestUnwrittenGapEndsTheLog: a machine crash that kept later unsynced
// writes and lost an earlier one leaves zeros with intact records after
// them; the log ends at the gap, as at a torn tail (docs/durability.md
// §3).
func TestUnwrittenGapEndsTheLog(t *testing.T) {
	_, crashed, seg := crashedSegment(t)
	b, _ := os.ReadFile(seg)
	var ends []int // where each record ends
	for off := walHeaderSize; ; {
		_, n, ok := parseRecord(b[off:])
		if !ok {
			break
		}
		off += n
		ends = append(ends, off)
	}
	if len(ends) != 40 { // 30 puts, 10 deletes
		t.Fatalf("%d records, want 40", len(ends))
	}
	clear(b[ends[19]:ends[20]]) // the 21st record never reached the disk
	os.WriteFile(seg, b, 0o600)
	c, err := Open(crashed)
	if err != nil {
		t.Fatalf("open with an unwritten gap: %v", err)
	}
	defer c.Close()
	// 20 records: puts 0..14 and the deletes of 1, 4, 7, 10, 13.
	if got, want := strings.Join(scanAll(t, c, "k", ""), ","), "0000=0,0002=2,0003=3,0005=5,0006=6,0008=8,0009=9,0011=11,0012=12,0014=14"; got != want {
		t.Errorf("scan = %s\nwant %s", got, want)
	}
	if fi, _ := os.Stat(seg); fi.Size() != int64(ends[19]) {
		t.Errorf("segment size %d, want it cut at the gap, %d", fi.Size(), ends[19])
	}
}

// TestCorruptLogIsRefused: a bad record with good ones after it, or a
// segment of another state file, stops Open with an error naming the
// segment; nothing is reset (docs/durability.md §3).
func TestCorruptLogIsRefused(t *testing.T) {
	path, crashed, seg := crashedSegment(t)
	b, _ := os.ReadFile(seg)
	b[walHeaderSize+recHeadSize+2] ^= 0xff // the first record's payload
	os.WriteFile(seg, b, 0o600)
	if _, err := Open(crashed); err == nil || !strings.Contains(err.Error(), seg) || !strings.Contains(err.Error(), "corrupt record") {
		t.Errorf("open with a corrupt record = %v, want an error naming %s", err, seg)
	}
	if after, _ := os.ReadFile(seg); !bytes.Equal(after, b) {
		t.Error("the corrupt segment was changed")
	}

	other, otherPath := openLogged(t, 1<<30, 3)
	defer other.Close()
	foreign := crashCopy(t, otherPath) + ".wal.00000001"
	crashed = crashCopy(t, path)
	fb, _ := os.ReadFile(foreign)
	os.WriteFile(crashed+".wal.00000001", fb, 0o600)
	if _, err := Open(crashed); err == nil || !strings.Contains(err.Error(), "another state file") {
		t.Errorf("open with another file's segment = %v", err)
	}
}

// TestIncompleteSegmentIsRemoved: a segment whose header a crash cut
// short, the last one, held nothing and goes.
func TestIncompleteSegmentIsRemoved(t *testing.T) {
	s, path := openLogged(t, 1<<30, 30)
	defer s.Close()
	crashed := crashCopy(t, path)
	os.WriteFile(crashed+".wal.00000002", []byte(walHeaderMagic[:7]), 0o600)
	c, err := Open(crashed)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	wantLogged(t, c, 30)
	if _, err := os.Stat(crashed + ".wal.00000002"); !os.IsNotExist(err) {
		t.Errorf("incomplete segment still there: %v", err)
	}
}

func TestRecordRoundTrip(t *testing.T) {
	ops := []Op{Put("a", "k", []byte("v")), Del("b", "gone"), Put("", "", nil), Put("c", strings.Repeat("x", 300), bytes.Repeat([]byte{0}, 70000))}
	rec := appendRecord(nil, ops)
	got, n, ok := parseRecord(rec)
	if !ok || n != len(rec) || len(got) != len(ops) {
		t.Fatalf("parse = %v %d %v", got, n, ok)
	}
	for i := range ops {
		if got[i].Bucket != ops[i].Bucket || got[i].Key != ops[i].Key || got[i].Delete != ops[i].Delete || !bytes.Equal(got[i].Value, ops[i].Value) {
			t.Errorf("op %d = %+v, want %+v", i, got[i], ops[i])
		}
	}
	for cut := range len(rec) - 1 {
		if _, _, ok := parseRecord(rec[:cut]); ok {
			t.Fatalf("a record cut at %d parsed", cut)
		}
	}
}

// TestReadsDuringCheckpoints: a write that Apply acknowledged stays
// visible to Get and Scan while checkpoints move it from memory to bbolt.
func TestReadsDuringCheckpoints(t *testing.T) {
	s, err := open(filepath.Join(t.TempDir(), "state.db"), 1<<10)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var acked atomic.Int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 1000 {
			if err := s.Apply(Put("k", fmt.Sprintf("%05d", i), event[:50])); err != nil {
				t.Error(err)
				return
			}
			acked.Store(int64(i + 1))
		}
	}()
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
		}
		n := acked.Load()
		if n == 0 {
			continue
		}
		if _, ok, err := s.Get("k", fmt.Sprintf("%05d", n-1)); !ok || err != nil {
			t.Fatalf("acknowledged key %d not found (%v)", n-1, err)
		}
		seen := 0
		if err := s.Scan("k", "", func(string, []byte) error { seen++; return nil }); err != nil {
			t.Fatal(err)
		}
		if int64(seen) < n {
			t.Fatalf("scan saw %d keys, %d acknowledged before it", seen, n)
		}
	}
}

// TestPreparedSegment: the next segment is prepared, preallocated with
// zeros, once the current one is a quarter full; records written into a
// preallocated segment end at the zeros, and a torn record in the current
// segment is cut off even with the prepared one after it.
func TestPreparedSegment(t *testing.T) {
	const limit = 64 << 10
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := open(path, limit)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	put := func(from, to int) {
		for i := from; i < to; i++ {
			if err := s.Apply(Put("k", fmt.Sprintf("%05d", i), event)); err != nil {
				t.Fatal(err)
			}
		}
	}
	spareReady := func(seq uint64) {
		deadline := time.Now().Add(10 * time.Second)
		for {
			if fi, err := os.Stat(segmentName(path, seq)); err == nil && fi.Size() == limit {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("segment %d not prepared", seq)
			}
			time.Sleep(time.Millisecond) // polling interval, not synchronisation
		}
	}
	put(0, 60) // about 20 KiB: past a quarter
	spareReady(2)
	crashed := crashCopy(t, path)
	seg1 := crashed + ".wal.00000001"
	b, _ := os.ReadFile(seg1)
	torn := appendRecord(nil, []Op{Put("k", "torn", event)})
	os.WriteFile(seg1, append(b, torn[:len(torn)/2]...), 0o600)
	c, err := Open(crashed)
	if err != nil {
		t.Fatalf("open with a torn record before a prepared segment: %v", err)
	}
	if n := len(scanAll(t, c, "k", "")); n != 60 {
		t.Errorf("%d keys, want 60", n)
	}
	c.Close()

	put(60, 300) // into the preallocated segment 2, and segment 3 prepared
	spareReady(3)
	c, err = Open(crashCopy(t, path))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if n := len(scanAll(t, c, "k", "")); n != 300 {
		t.Errorf("%d keys, want 300", n)
	}
}

// TestKeptValuesShareTheRecord: the overlay keeps each value as a slice
// of the record written, not of the caller's bytes, and with no room to
// grow into the next value.
func TestKeptValuesShareTheRecord(t *testing.T) {
	in := []byte("value")
	ops := []Op{Put("a", "k", in), Del("b", "gone"), Put("", "", nil), Put("c", "long", bytes.Repeat([]byte{7}, 300))}
	rec := appendRecord(nil, ops)
	if len(rec) > recordSize(ops) {
		t.Errorf("record %d bytes, past its computed bound %d", len(rec), recordSize(ops))
	}
	kept := keptIn(rec[recHeadSize:], ops)
	in[0] = 'X' // the caller's bytes change after Apply
	for i, op := range ops {
		if kept[i].Bucket != op.Bucket || kept[i].Key != op.Key || kept[i].Delete != op.Delete {
			t.Errorf("op %d = %+v, want %+v", i, kept[i], op)
		}
		if cap(kept[i].Value) != len(kept[i].Value) {
			t.Errorf("op %d: value has room to grow", i)
		}
	}
	if string(kept[0].Value) != "value" || len(kept[2].Value) != 0 || !bytes.Equal(kept[3].Value, ops[3].Value) {
		t.Errorf("kept values %q %q %q", kept[0].Value, kept[2].Value, kept[3].Value)
	}
}
