package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepwire/stepwire/emulator"
	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/emulator/store"
)

const (
	// sizeExecutions is how many finished sample executions the state
	// file holds in BenchmarkStateFileSize; sizeRoundTrips of them are
	// real round trips.
	sizeExecutions = 100000
	sizeRoundTrips = 1000
	// execBucket is sfnemu's journal bucket; closed executions are its
	// d/<id> records (docs/durability.md §6).
	execBucket = "exec"
)

// BenchmarkStateFileSize reports the size of a state file holding
// 100,000 finished executions of the sample (docs/durability.md §5), kept
// all, and then under the default retention (1,000 a state machine, as in
// memory) once the store compacted.
//
// Running 100,000 round trips would take minutes, so 1,000 are real (the
// sample with its worker, on a durable emulator) and the state file is
// then filled, through the store's API, with copies of the records those
// wrote (each closed execution's d/<id> record, as sfnemu writes it), each
// under an id, name and ARN of its own. A durable emulator on that file
// restores all of them (restore_100k_ms), frees those past the retention
// policy, and the next start compacts the file.
func BenchmarkStateFileSize(b *testing.B) {
	for b.Loop() {
		dir := sampleStateFile(b)
		path := filepath.Join(dir, emulator.StateFile)
		n := fillClosed(b, path)
		kept := fileMB(b, path)

		begin := time.Now()
		e := startDurable(b, dir) // applies the retention policy: frees 99,000
		restore := time.Since(begin)
		left := countSucceeded(b, e)
		if err := e.Close(); err != nil {
			b.Fatal(err)
		}
		retained := fileMB(b, path)
		e = startDurable(b, dir) // compacts the file, now mostly free
		if err := e.Close(); err != nil {
			b.Fatal(err)
		}
		compacted := fileMB(b, path)
		b.ReportMetric(kept, "statefile_100k_mb")
		fmt.Printf("statefile_100k_mb=%.1f (executions=%d, all kept) restore_100k_ms=%.0f "+
			"statefile_retained_mb=%.1f (executions=%d) statefile_compacted_mb=%.1f\n",
			kept, n, ms(restore), retained, left, compacted)
	}
}

// sampleStateFile runs sizeRoundTrips sample round trips on a durable
// emulator, closes it, and returns its data dir.
func sampleStateFile(b *testing.B) string {
	b.Helper()
	srv, c := sampleEmulator(b, emulatortest.WithTemplate("../template.yaml"), emulatortest.WithDurable())
	ctx := context.Background()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for next.Add(1) <= sizeRoundTrips && !b.Failed() {
				roundTrip(b, ctx, srv, c, nil)
			}
		})
	}
	wg.Wait()
	if b.Failed() {
		b.FailNow()
	}
	dir := filepath.Dir(srv.Endpoints().CAFile)
	if err := srv.Close(); err != nil {
		b.Fatal(err)
	}
	return dir
}

// fillClosed adds copies of the closed executions in the state file at
// path until it holds sizeExecutions, and returns how many it holds.
func fillClosed(b *testing.B, path string) int {
	b.Helper()
	st, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	var recs []map[string]json.RawMessage
	var last uint64
	err = st.Scan(execBucket, "d/", func(key string, v []byte) error {
		var r map[string]json.RawMessage
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("record %s: %w", key, err)
		}
		recs = append(recs, r)
		var id uint64
		_, err := fmt.Sscanf(key, "d/%x", &id)
		last = max(last, id)
		return err
	})
	if err != nil || len(recs) == 0 {
		b.Fatalf("closed executions in %s: %d, %v", path, len(recs), err)
	}
	total := len(recs)
	var batch []store.Op
	for i := 0; total < sizeExecutions; i++ {
		id := last + 1 + uint64(i)
		v, err := copyRecord(recs[i%len(recs)], id, fmt.Sprintf("copy-%06d", i))
		if err != nil {
			b.Fatal(err)
		}
		batch = append(batch, store.Put(execBucket, fmt.Sprintf("d/%016x", id), v))
		total++
		if len(batch) == 1000 || total == sizeExecutions {
			if err := st.Apply(batch...); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	return total
}

// copyRecord returns a closed execution's record r under another id and
// name (and so ARN).
func copyRecord(r map[string]json.RawMessage, id uint64, name string) ([]byte, error) {
	var start map[string]json.RawMessage
	if err := json.Unmarshal(r["Start"], &start); err != nil {
		return nil, fmt.Errorf("start record: %w", err)
	}
	var arn string
	if err := json.Unmarshal(start["ARN"], &arn); err != nil {
		return nil, fmt.Errorf("start record arn: %w", err)
	}
	arn = arn[:strings.LastIndexByte(arn, ':')+1] + name
	start["ID"], _ = json.Marshal(id)
	start["Name"], _ = json.Marshal(name)
	start["ARN"], _ = json.Marshal(arn)
	s, err := json.Marshal(start)
	if err != nil {
		return nil, err
	}
	out := make(map[string]json.RawMessage, len(r))
	for k, v := range r {
		out[k] = v
	}
	out["Start"] = s
	return json.Marshal(out)
}

// countSucceeded counts the sample's SUCCEEDED executions.
func countSucceeded(b *testing.B, e *emulator.Emulator) int {
	b.Helper()
	p := sfn.NewListExecutionsPaginator(benchSFN(e), &sfn.ListExecutionsInput{StateMachineArn: aws.String(machineArn),
		StatusFilter: sfntypes.ExecutionStatusSucceeded, MaxResults: 1000})
	n := 0
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		n += len(out.Executions)
	}
	return n
}

func fileMB(b *testing.B, path string) float64 {
	b.Helper()
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return float64(st.Size()) / (1 << 20)
}
