package store

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
)

// TestCrashKeepsAcknowledgedWrites SIGKILLs a process that writes from
// several goroutines at once and checks that every write it acknowledged
// (printed after Apply returned) is in the file afterwards, in both sync
// modes (docs/durability.md §3).
func TestCrashKeepsAcknowledgedWrites(t *testing.T) {
	if path := os.Getenv("STEPWIRE_STORE_CRASH_WRITER"); path != "" {
		mode, err := ParseSyncMode(os.Getenv("STEPWIRE_STORE_CRASH_SYNC"))
		if err != nil {
			t.Fatal(err)
		}
		crashWriter(path, mode)
		return
	}
	for _, mode := range []SyncMode{SyncBackground, SyncCommit} {
		t.Run(mode.String(), func(t *testing.T) { crashRounds(t, mode) })
	}
}

// crashRounds kills a writer in mode at four points, one after the
// other, on the same state file.
func crashRounds(t *testing.T, mode SyncMode) {
	path := filepath.Join(t.TempDir(), "state.db")
	for round, kills := range []int{1, 40, 300, 3000} { // kill after this many acknowledgements
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashKeepsAcknowledgedWrites$")
		cmd.Env = append(os.Environ(), "STEPWIRE_STORE_CRASH_WRITER="+path, "STEPWIRE_STORE_CRASH_SYNC="+mode.String())
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var acked []string
		sc := bufio.NewScanner(out)
		for len(acked) < kills && sc.Scan() { // Scan only for a line it keeps
			acked = append(acked, sc.Text())
		}
		cmd.Process.Kill() // SIGKILL
		for sc.Scan() {
			acked = append(acked, sc.Text()) // acknowledged before the kill landed
		}
		cmd.Wait()
		if len(acked) < kills {
			t.Fatalf("round %d: writer acknowledged %d writes before it ended", round, len(acked))
		}
		s, err := Open(path)
		if err != nil {
			t.Fatalf("round %d: reopen after SIGKILL: %v", round, err)
		}
		for k, state := range ackedStates(acked) {
			_, ok, err := s.Get("acked", k)
			switch {
			case err != nil:
				t.Fatal(err)
			case state == '+' && !ok:
				t.Errorf("round %d: acknowledged write %s lost", round, k)
			case state == '-' && ok:
				t.Errorf("round %d: acknowledged delete of %s lost", round, k)
			}
		}
		s.Close()
	}
}

// ackedStates reads crashWriter's lines: a key's last line says what must
// hold after the crash: '+' there, '-' gone, '~' either (its delete was
// under way).
func ackedStates(lines []string) map[string]byte {
	states := map[string]byte{}
	for _, l := range lines {
		states[l[1:]] = l[0]
	}
	return states
}

// crashWriter writes until killed, printing "+key" once its put returned;
// after every third put it deletes the put before, printing "~key" before
// and "-key" once the delete returned. It stops by itself after a bounded
// number of writes.
func crashWriter(path string, mode SyncMode) {
	s, err := OpenWith(path, Options{Sync: mode, segLimit: 64 << 10}) // checkpoints all along
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	pid := strconv.Itoa(os.Getpid())
	var mu sync.Mutex
	w := bufio.NewWriter(os.Stdout)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			say := func(line string) {
				mu.Lock()
				fmt.Fprintln(w, line)
				w.Flush()
				mu.Unlock()
			}
			key := func(i int) string { return fmt.Sprintf("%s/%d/%d", pid, g, i) }
			for i := range 5000 {
				if s.Apply(Put("acked", key(i), event)) != nil {
					return
				}
				say("+" + key(i))
				if i%3 == 2 {
					say("~" + key(i-1))
					if s.Apply(Del("acked", key(i-1))) != nil {
						return
					}
					say("-" + key(i-1))
				}
			}
		})
	}
	wg.Wait()
	os.Exit(0)
}
