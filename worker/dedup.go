package worker

import (
	"crypto/sha256"

	"github.com/stepwire/stepwire/internal/jobwire"
)

// A job can arrive twice: QoS 1 redelivers a message whose PUBACK the
// broker did not see (after a reconnect, with DUP set), and a publisher may
// retry a publish it thinks failed. The worker runs such a job once: it
// remembers the jobs it started in a bounded set and drops a job it has
// seen, acknowledging the message.
//
// The key is the task token, not jobId. The token names one attempt of one
// task: a redelivery carries the same token, while a state machine's Retry
// dispatches the job again with a new token, and perhaps the same jobId
// (say "jobId.$": "$$.Execution.Name"); that attempt must run. The token is
// hashed, so a key takes 32 bytes whatever the token's length (~700 bytes
// on AWS).

// jobKey is the deduplication key of a job.
type jobKey [sha256.Size]byte

func keyOf(job jobwire.Job) jobKey { return sha256.Sum256([]byte(job.TaskToken)) }

// recentJobs remembers the last capacity keys added and forgets the oldest
// first, so its memory is bounded whatever the traffic. It is not safe for
// concurrent use; the worker guards it with its mutex.
type recentJobs struct {
	capacity int
	set      map[jobKey]struct{}
	ring     []jobKey // insertion order; once full, next is the oldest
	next     int
}

func newRecentJobs(capacity int) *recentJobs {
	return &recentJobs{capacity: max(capacity, 1), set: map[jobKey]struct{}{}}
}

// add records k and reports whether it is new.
func (r *recentJobs) add(k jobKey) bool {
	if _, seen := r.set[k]; seen {
		return false
	}
	if len(r.ring) < r.capacity {
		r.ring = append(r.ring, k)
	} else {
		delete(r.set, r.ring[r.next])
		r.ring[r.next] = k
		r.next = (r.next + 1) % r.capacity
	}
	r.set[k] = struct{}{}
	return true
}

func (r *recentJobs) len() int { return len(r.set) }
