package worker

import (
	"fmt"
	"testing"
)

// BenchmarkWorkerRoundTrip measures jobs per second through one worker over
// mTLS: the broker publishes add jobs and waits for every result.
func BenchmarkWorkerRoundTrip(b *testing.B) {
	br, _ := startWorker(b, DefaultHandler())
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
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "jobs/s")
}
