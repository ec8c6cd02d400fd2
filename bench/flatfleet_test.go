package bench

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/worker"
)

// BenchmarkFlatCost's fleet of workers runs in a process of its own, as
// devices do: the test binary again, running TestFlatFleet with
// fleetEnv naming a fleetSpec file. In the emulator's process the
// workers' own memory (paho keeps a 64 Ki-slot channel per connection)
// would be scanned by the emulator's GC and counted in its RSS.
const (
	fleetEnv   = "STEPWIRE_FLATCOST_FLEET"
	fleetReady = "flatcost fleet ready"
)

// fleetSpec is what the fleet process needs: the broker and each worker's
// identity.
type fleetSpec struct {
	Endpoint string        `json:"endpoint"`
	CAPEM    []byte        `json:"caPem"`
	Workers  []fleetWorker `json:"workers"`
}

type fleetWorker struct {
	Thing   string `json:"thing"`
	CertPEM []byte `json:"certPem"`
	KeyPEM  []byte `json:"keyPem"`
}

// startFleet issues flatWorkers things and certificates under the
// FlatWorker policy, starts the fleet process and returns once every
// worker is connected and subscribed, with the share of one core the
// connected fleet then uses while no job comes (idle workers should not
// wake: on two cores what they use the emulator does not get). The
// process stops at cleanup.
func startFleet(b *testing.B, srv *emulatortest.Server) (idleCPU float64) {
	b.Helper()
	if err := srv.IoT.CreatePolicy("FlatWorker", flatPolicy); err != nil {
		b.Fatal(err)
	}
	spec := fleetSpec{Endpoint: srv.Endpoints().MQTT, CAPEM: srv.IoT.CACertPEM()}
	for i := range flatWorkers {
		thing := fmt.Sprintf("flat-worker-%04d", i)
		if err := srv.IoT.CreateThing(thing, nil); err != nil {
			b.Fatal(err)
		}
		cert, key, _, err := srv.IoT.IssueCertificate(thing, "FlatWorker")
		if err != nil {
			b.Fatal(err)
		}
		spec.Workers = append(spec.Workers, fleetWorker{Thing: thing, CertPEM: cert, KeyPEM: key})
	}
	path := filepath.Join(b.TempDir(), "fleet.json")
	data, err := json.Marshal(spec)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		b.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(self, "-test.run", "^TestFlatFleet$", "-test.count", "1", "-test.timeout", "0")
	cmd.Env = append(os.Environ(), fleetEnv+"="+path)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe() // the fleet stops when it closes
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatalf("start fleet: %v", err)
	}
	b.Cleanup(func() {
		stdin.Close()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if sc.Text() == fleetReady {
				ready <- true
			}
		}
		ready <- false
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case ok := <-ready:
		if !ok {
			b.Fatal("fleet process ended before its workers were ready")
		}
	case <-time.After(2 * time.Minute):
		b.Fatal("fleet not ready within 2 minutes")
	}
	return idleShare(b, cmd.Process.Pid)
}

// fleetIdleWindow is how long startFleet watches the idle fleet.
const fleetIdleWindow = 2 * time.Second

// idleShare is the share of one core (user and system) that process pid
// uses over fleetIdleWindow, in percent, from a second after the call:
// the fleet's collection of its start-up garbage is not idling.
func idleShare(b *testing.B, pid int) float64 {
	time.Sleep(time.Second)
	before := processCPU(b, pid)
	start := time.Now()
	time.Sleep(fleetIdleWindow) // a window to measure, not a wait for an event
	return 100 * (processCPU(b, pid) - before).Seconds() / time.Since(start).Seconds()
}

// processCPU is the CPU time process pid has used, from /proc/<pid>/stat
// (utime and stime, fields 14 and 15, in clock ticks of 1/100 s).
func processCPU(b *testing.B, pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Fatal(err)
	}
	// Fields after the command, which is in parentheses and may hold spaces.
	f := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+1:]))
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		b.Fatalf("read /proc/%d/stat: %v", pid, err)
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// TestFlatFleet is BenchmarkFlatCost's fleet process (fleetEnv); it skips
// otherwise. It runs one worker per fleetSpec entry, prints fleetReady once
// all are subscribed, and stops them when its stdin closes.
func TestFlatFleet(t *testing.T) {
	path := os.Getenv(fleetEnv)
	if path == "" {
		t.Skip("the fleet process of BenchmarkFlatCost")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var spec fleetSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(spec.CAPEM) {
		t.Fatal("fleet: bad CA certificate")
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	log := slog.New(slog.DiscardHandler)
	for _, fw := range spec.Workers {
		pair, err := tls.X509KeyPair(fw.CertPEM, fw.KeyPEM)
		if err != nil {
			t.Fatal(err)
		}
		w, err := worker.New(worker.Config{Endpoint: spec.Endpoint, ClientID: fw.Thing,
			SubscribeTopic: "flat/" + fw.Thing + "/jobs", SubmitTopic: "flat/" + fw.Thing + "/results",
			TLSConfig: &tls.Config{RootCAs: pool, Certificates: []tls.Certificate{pair}, ServerName: "localhost",
				MinVersion: tls.VersionTLS12}}, worker.DefaultHandler(), log)
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			if err := w.Run(ctx); err != nil {
				t.Errorf("fleet worker %s: %v", fw.Thing, err)
			}
		})
		select {
		case <-w.Ready():
		case <-time.After(30 * time.Second):
			t.Fatalf("fleet worker %s not ready within 30 s", fw.Thing)
		}
	}
	fmt.Println(fleetReady)
	_, _ = io.Copy(io.Discard, os.Stdin)
}
