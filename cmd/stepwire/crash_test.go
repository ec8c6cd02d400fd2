package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iot"

	"github.com/stepwire/stepwire/emulator"
)

// crashUpEnv makes the test binary run `stepwire up` with the arguments
// after -- instead of the tests, for TestSIGKILLKeepsAcknowledgedCalls.
const crashUpEnv = "STEPWIRE_TEST_RUN_UP"

func init() {
	if os.Getenv(crashUpEnv) == "" {
		return
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	args := os.Args[1:]
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	if err := run(ctx, args); err != nil {
		fmt.Fprintln(os.Stderr, "stepwire:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// TestSIGKILLKeepsAcknowledgedCalls SIGKILLs `stepwire up` at random
// points while four clients create things and certificates, starts it
// again on the same data dir, and checks that every call that was
// answered before the kill has its effect there (docs/durability.md §3).
func TestSIGKILLKeepsAcknowledgedCalls(t *testing.T) {
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	dir := t.TempDir()
	var acked []string // thing names
	var certs []string // certificate ids
	for round := range 3 {
		cmd, ctl := startUpProcess(t, dir)
		if err := verify(ctl, acked, certs); err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("round %d, after restart: %v", round, err)
		}
		things, ids := load(ctl, round, 1+rng.IntN(60), cmd)
		acked, certs = append(acked, things...), append(certs, ids...)
		cmd.Wait()
	}
	cmd, ctl := startUpProcess(t, dir)
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	if err := verify(ctl, acked, certs); err != nil {
		t.Fatalf("after the last restart: %v", err)
	}
	t.Logf("%d things and %d certificates acknowledged across 3 SIGKILLs", len(acked), len(certs))
}

// startUpProcess starts `stepwire up` on dir and waits for its endpoints.
func startUpProcess(t *testing.T, dir string) (*exec.Cmd, *iot.Client) {
	t.Helper()
	endpoints := filepath.Join(dir, "endpoints.json")
	os.Remove(endpoints)
	cmd := exec.Command(os.Args[0], "-test.run=^$", "--", "up", "--template", "", "--data-dir", dir,
		"--http", "127.0.0.1:0", "--mqtt", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), crashUpEnv+"=1")
	logf, err := os.Create(filepath.Join(t.TempDir(), "up.log"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { logf.Close() })
	cmd.Stderr, cmd.Stdout = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		b, err := os.ReadFile(endpoints)
		var ends emulator.Endpoints
		if err == nil && json.Unmarshal(b, &ends) == nil && ends.HTTP != "" {
			return cmd, iot.NewFromConfig(aws.Config{Region: ends.Region,
				Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")},
				func(o *iot.Options) { o.BaseEndpoint = aws.String(ends.HTTP) })
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("stepwire up did not write its endpoints within 30 s (log %s)", logf.Name())
		}
		time.Sleep(20 * time.Millisecond) // polling a file another process writes
	}
}

// load runs four clients creating things (and every fifth call a
// certificate) and SIGKILLs the emulator after kill acknowledged calls.
// It returns what was acknowledged, until the kill.
func load(ctl *iot.Client, round, kill int, cmd *exec.Cmd) (things, ids []string) {
	var mu sync.Mutex
	var once sync.Once
	ack := func(thing, id string) {
		mu.Lock()
		defer mu.Unlock()
		if thing != "" {
			things = append(things, thing)
		}
		if id != "" {
			ids = append(ids, id)
		}
		if len(things)+len(ids) >= kill {
			once.Do(func() { cmd.Process.Kill() })
		}
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 100 { // bounded: the kill normally ends it first
				if i%5 == 4 {
					out, err := ctl.CreateKeysAndCertificate(ctx, &iot.CreateKeysAndCertificateInput{SetAsActive: true})
					if err != nil {
						return
					}
					ack("", aws.ToString(out.CertificateId))
					continue
				}
				name := fmt.Sprintf("r%d-g%d-%d", round, g, i)
				if _, err := ctl.CreateThing(ctx, &iot.CreateThingInput{ThingName: aws.String(name)}); err != nil {
					return
				}
				ack(name, "")
			}
		})
	}
	wg.Wait()
	once.Do(func() { cmd.Process.Kill() })
	return things, ids
}

// verify checks that every acknowledged thing and certificate is there.
func verify(ctl *iot.Client, things, ids []string) error {
	ctx := context.Background()
	for _, name := range things {
		if _, err := ctl.DescribeThing(ctx, &iot.DescribeThingInput{ThingName: aws.String(name)}); err != nil {
			return fmt.Errorf("acknowledged thing %s lost: %w", name, err)
		}
	}
	for _, id := range ids {
		out, err := ctl.DescribeCertificate(ctx, &iot.DescribeCertificateInput{CertificateId: aws.String(id)})
		if err != nil {
			return fmt.Errorf("acknowledged certificate %s lost: %w", id, err)
		}
		if s := out.CertificateDescription.Status; s != "ACTIVE" {
			return fmt.Errorf("certificate %s is %s after restart", id, s)
		}
	}
	return nil
}
