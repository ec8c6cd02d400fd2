package worker

import (
	"fmt"
	"testing"

	"github.com/stepwire/stepwire/internal/jobwire"
)

func key(i int) jobKey { return keyOf(jobwire.Job{TaskToken: fmt.Sprintf("tok-%d", i)}) }

func TestRecentJobsRemembersTheLastCapacityKeys(t *testing.T) {
	tests := []struct {
		name            string
		capacity, added int
	}{
		{"below capacity", 4, 3},
		{"at capacity", 4, 4},
		{"far past capacity", 4, 1000},
		{"capacity one", 1, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRecentJobs(tt.capacity)
			for i := range tt.added {
				if !r.add(key(i)) {
					t.Fatalf("key %d reported seen on first add", i)
				}
			}
			if want := min(tt.added, tt.capacity); r.len() != want || len(r.ring) != want {
				t.Fatalf("holds %d keys (ring %d), want %d", r.len(), len(r.ring), want)
			}
			for i := tt.added - 1; i >= max(0, tt.added-tt.capacity); i-- {
				if r.add(key(i)) {
					t.Fatalf("recent key %d forgotten", i)
				}
			}
			if oldest := tt.added - tt.capacity - 1; oldest >= 0 && !r.add(key(oldest)) {
				t.Fatalf("key %d, past capacity, still remembered", oldest)
			}
		})
	}
}

// The set's memory does not grow with traffic: a million distinct jobs
// leave it at its capacity.
func TestRecentJobsMemoryIsBounded(t *testing.T) {
	r := newRecentJobs(DefaultDedupCapacity)
	for i := range 1_000_000 {
		r.add(key(i))
	}
	if r.len() != DefaultDedupCapacity || cap(r.ring) > 2*DefaultDedupCapacity {
		t.Fatalf("len %d, ring cap %d; want %d keys", r.len(), cap(r.ring), DefaultDedupCapacity)
	}
}
