package worker

// Activity counters let a test harness that runs a worker in-process tell
// whether the worker still has work in flight, for instance before it moves
// a fake clock: the worker is quiet when Busy is zero (or every busy job is
// known to wait only for cancellation), every job published to it has been
// Received, and everything it Published has reached its consumer.

// Busy returns the number of jobs the worker is working on: a job counts
// from the moment its message arrives until its outcome has been published
// (acknowledged by the broker, or given up) or the message is dropped. It
// includes jobs whose handler is blocked.
func (w *Worker) Busy() int { return int(w.busy.Load()) }

// Received returns how many messages have arrived on the job topic,
// including ones dropped as malformed. A message counts in Busy before it
// counts here.
func (w *Worker) Received() uint64 { return w.received.Load() }

// Published returns how many messages the worker has published and the
// broker has acknowledged: outcomes, failures and heartbeats on its submit
// topic, and progress reports on the jobs' progress topics (not the empty
// publishes that clear a finished job's report, which no rule passes on).
// A job's outcome counts here before the job leaves Busy.
func (w *Worker) Published() uint64 { return w.published.Load() }
