package bench

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stepwire/stepwire/scenarios"
)

// BenchmarkScenarioLibrary runs every scenario file of scenarios/, one
// after another, as "stepwire scenario run scenarios/*.yaml" does, and
// prints the whole library's wall time, the slowest scenario's, and those
// of the long virtual ones alone (the 24-hour Wait and the 2-hour job).
// The bar: the library under 5 s, no scenario over 1 s.
func BenchmarkScenarioLibrary(b *testing.B) {
	files, err := filepath.Glob("../scenarios/*.yaml")
	if err != nil || len(files) == 0 {
		b.Fatalf("no scenarios: %v", err)
	}
	for range b.N {
		start := time.Now()
		var slowest time.Duration
		slowestName := ""
		ran := 0
		each := map[string]time.Duration{}
		for _, f := range files {
			r := scenarios.RunFile(f, scenarios.InProcess{}, false)
			if r.Err != nil {
				b.Fatalf("%s: %v", f, r.Err)
			}
			if r.Pending != "" || r.Skipped != "" {
				continue
			}
			ran++
			each[filepath.Base(f)] = r.Duration
			if r.Duration > slowest {
				slowest, slowestName = r.Duration, filepath.Base(f)
			}
		}
		total := time.Since(start)
		fmt.Printf("scenarios_library_ms=%d scenarios_run=%d scenarios_slowest_ms=%d (%s)\n",
			total.Milliseconds(), ran, slowest.Milliseconds(), slowestName)
		fmt.Printf("scenarios_wait24h_ms=%d scenarios_job2h_ms=%d\n",
			each["wait-24h.yaml"].Milliseconds(), each["long-job-heartbeats.yaml"].Milliseconds())
	}
}
