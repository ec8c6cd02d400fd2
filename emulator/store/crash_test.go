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
// (printed after Apply returned) is in the file afterwards
// (docs/durability.md §3).
func TestCrashKeepsAcknowledgedWrites(t *testing.T) {
	if os.Getenv("STEPWIRE_STORE_CRASH_WRITER") != "" {
		crashWriter(os.Getenv("STEPWIRE_STORE_CRASH_WRITER"))
		return
	}
	path := filepath.Join(t.TempDir(), "state.db")
	for round, kills := range []int{1, 40, 300} { // kill after this many acknowledgements
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashKeepsAcknowledgedWrites$")
		cmd.Env = append(os.Environ(), "STEPWIRE_STORE_CRASH_WRITER="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var acked []string
		sc := bufio.NewScanner(out)
		for sc.Scan() && len(acked) < kills {
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
		for _, k := range acked {
			if _, ok, err := s.Get("acked", k); !ok || err != nil {
				t.Errorf("round %d: acknowledged write %s lost (%v)", round, k, err)
			}
		}
		s.Close()
	}
}

// crashWriter writes until killed, printing each key once its Apply
// returned. It stops by itself after a bounded number of writes.
func crashWriter(path string) {
	s, err := Open(path)
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
			for i := range 5000 {
				k := fmt.Sprintf("%s/%d/%d", pid, g, i)
				if s.Apply(Put("acked", k, event)) != nil {
					return
				}
				mu.Lock()
				fmt.Fprintln(w, k)
				w.Flush()
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	os.Exit(0)
}
