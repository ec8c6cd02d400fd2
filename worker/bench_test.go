package worker

import (
	"fmt"
	"testing"
)

// BenchmarkWorkerRoundTrip measures jobs per second through one worker over
// mTLS, with the running limit (Config.MaxConcurrent) at 1 and at 64: the
// broker publishes add jobs and waits for every result. It prints one line
// per limit (issue 10 item 10).
func BenchmarkWorkerRoundTrip(b *testing.B) {
	for _, limit := range []int{1, 64} {
		b.Run(fmt.Sprintf("concurrency=%d", limit), func(b *testing.B) {
			br, _ := startWorker(b, DefaultHandler(), func(c *Config, _ *testBroker) { c.MaxConcurrent = limit })
			results := br.subscribe(b, resultTopic)
			b.ResetTimer()
			go func() {
				for i := range b.N {
					job := fmt.Sprintf(`{"Input":{"a":%d,"b":1},"TaskToken":"tok-%d"}`, i, i)
					if err := br.srv.Publish(jobTopic, []byte(job), false, 1); err != nil {
						b.Error(err)
						return
					}
				}
			}()
			for range b.N {
				receive(b, results)
			}
			jps := float64(b.N) / b.Elapsed().Seconds()
			b.ReportMetric(jps, "jobs/s")
			if b.N > 1 { // not the one-job probe run
				fmt.Printf("worker_concurrency=%d jobs_per_s=%.0f (n=%d)\n", limit, jps, b.N)
			}
		})
	}
}
