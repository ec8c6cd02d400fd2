package worker

import (
	"context"
	"sync"

	"github.com/eclipse/paho.golang/paho"

	"github.com/stepwire/stepwire/internal/hop"
	"github.com/stepwire/stepwire/internal/jobwire"
)

// Admission: how a job message becomes a running job, and when the broker
// learns that it has been taken.
//
// The worker acknowledges job messages itself (acks.go), and only once it
// has taken the job on: when the job starts, or when it is dropped for
// good (malformed, a duplicate, rejected with a failure). At most
// Config.MaxConcurrent jobs run; a job that arrives past that waits in a
// FIFO line, unacknowledged, until a running job ends. The broker stops sending once its in-flight window of
// unacknowledged messages is full (IoT Core: 100 per client; the emulator
// likewise), and the rest wait in the broker's session. No job is dropped
// for want of a slot.
//
// The worker does not announce a smaller Receive Maximum of its own: the
// mochi broker (v2.7.9, under the emulator) loses a message it holds back
// when a client's receive quota is exhausted (it is never sent and not
// reported dropped), which TestConcurrencyLimitIsRespected caught.
//
// Acknowledging at start rather than at the end matters because MQTT
// acknowledges in order: one long job would hold back the PUBACKs of every
// later job and so fill the receive window. The price is that a job that
// started when the worker crashes is not redelivered; its task times out
// (HeartbeatSeconds, TimeoutSeconds) and the state machine's Retry runs it
// again.
//
// Once the worker stops taking jobs (a drain or a stop), it acknowledges
// no more job messages: those waiting in line and those still arriving stay
// unacknowledged in the session, and the broker delivers them again when a
// worker with this client ID connects, within the session expiry. That is
// why a drain does not unsubscribe: unsubscribing would make the broker
// drop the jobs published while the worker is away.
//
// A message that waits in line belongs to the connection it arrived on; if
// that connection ends, the worker forgets it (its acknowledgement could not
// be sent any more) and the broker delivers it again on the next one.

// inbound is a job message as it arrived.
type inbound struct {
	payload []byte
	// ack acknowledges the message on the connection it arrived on; calls
	// after the first do nothing. take does the same for a job taken on,
	// whose PUBACK Run waits for before it disconnects.
	ack, take func()
	// gone is closed when that connection has ended (nil: never).
	gone <-chan struct{}
}

func (w *Worker) inboundOf(pr paho.PublishReceived) inbound {
	in := inbound{payload: pr.Packet.Payload, ack: func() {}, take: func() {}}
	if pr.Client == nil {
		return in
	}
	in.gone = pr.Client.Done()
	p := w.acks.expect(pr.Packet.QoS, pr.Packet.PacketID)
	var once sync.Once
	in.ack = func() { once.Do(func() { w.acks.release(p, false) }) }
	in.take = func() { once.Do(func() { w.acks.release(p, true) }) }
	return in
}

func (in inbound) connGone() bool {
	select {
	case <-in.gone:
		return true
	default:
		return false
	}
}

// waiting is a job that has arrived and waits for a slot, unacknowledged.
type waiting struct {
	in  inbound
	job jobwire.Job
}

// admitted is a job taken from the line: it runs, unless r is nil (a
// duplicate, acknowledged and dropped).
type admitted struct {
	waiting
	ctx context.Context
	r   *running
}

// offer starts job or puts it in line. It runs on paho's goroutine and
// takes over the caller's unit of Busy.
func (w *Worker) offer(in inbound, job jobwire.Job) {
	w.mu.Lock()
	switch {
	case w.stopping || in.connGone():
		w.mu.Unlock()
		w.withhold(1)
		return
	case len(w.line) > 0 || w.running >= w.cfg.MaxConcurrent:
		w.line = append(w.line, waiting{in: in, job: job})
		w.mu.Unlock()
		return
	}
	a := w.admitLocked(waiting{in: in, job: job})
	w.mu.Unlock()
	w.launch(a)
}

// admitLocked takes wt on: a slot, a context and an entry in the job table,
// or nothing if the job is one the worker has seen.
func (w *Worker) admitLocked(wt waiting) admitted {
	a := admitted{waiting: wt}
	if !w.recent.add(keyOf(wt.job)) {
		return a
	}
	ctx, cancel := context.WithCancelCause(w.jobsCtx)
	r := &running{token: wt.job.TaskToken, id: wt.job.JobID, execution: wt.job.ExecutionArn, cancel: cancel}
	if !w.jobs.add(r) {
		cancel(nil)
		return a
	}
	w.running++
	w.wg.Add(1)
	a.ctx, a.r = ctx, r
	return a
}

// launch acknowledges an admitted job and runs it, or drops a duplicate.
func (w *Worker) launch(a admitted) {
	if a.r == nil {
		a.in.ack()
		w.logger.Info("dropping a job that already ran or runs", hop.TokenRefKey, hop.TokenRef(a.job.TaskToken), "jobId", a.job.JobID)
		w.busy.Add(-1)
		return
	}
	a.in.take()
	go w.runJob(a.ctx, a.job, a.r)
}

// release frees a finished job's slot and starts the jobs in line that now
// fit, unless the worker has stopped taking jobs.
func (w *Worker) release() {
	w.mu.Lock()
	w.running--
	var next []admitted
	gone := 0
	for !w.stopping && w.running < w.cfg.MaxConcurrent && len(w.line) > 0 {
		wt := w.line[0]
		w.line = w.line[1:]
		if wt.in.connGone() {
			gone++
			continue
		}
		next = append(next, w.admitLocked(wt))
	}
	w.mu.Unlock()
	w.withhold(gone)
	for _, a := range next {
		w.launch(a)
	}
}

// stopTaking makes the worker take no more jobs: the jobs in line are left
// unacknowledged for the broker to deliver again.
func (w *Worker) stopTaking() {
	w.mu.Lock()
	w.stopping = true
	n := len(w.line)
	w.line = nil
	w.mu.Unlock()
	w.withhold(n)
}

// forgetLine drops the jobs in line when their connection has ended: the
// broker delivers them again on the next one.
func (w *Worker) forgetLine() {
	w.mu.Lock()
	n := len(w.line)
	w.line = nil
	w.mu.Unlock()
	w.withhold(n)
}

// withhold accounts for n job messages left unacknowledged for the broker
// to deliver again: they leave Busy.
func (w *Worker) withhold(n int) {
	if n > 0 {
		w.busy.Add(int64(-n))
		w.logger.Debug("job messages left to the broker", "count", n)
	}
}
