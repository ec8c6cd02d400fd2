package worker

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/stepwire/stepwire/internal/clock"
)

// ProgressInterval is the least time, on the worker's clock, between two
// progress publishes of one job. A bar that moves once a second is
// enough to watch, and each published report costs a broker message, a
// topic rule action and a SendTaskHeartbeat call.
const ProgressInterval = time.Second

// progressSender publishes one job's progress reports, coalesced: at most
// one publish is in flight, the next starts no sooner than interval after
// the previous one started, and a report waiting for its turn is replaced
// by a later one (latest wins). Memory is bounded by one pending report.
type progressSender struct {
	clock    clock.Clock
	interval time.Duration
	// send publishes a payload, retained, on the job's progress topic; an
	// empty payload clears the retained report.
	send  func(ctx context.Context, payload []byte) error
	onErr func(error)

	mu      sync.Mutex
	pending []byte        // the latest report not yet published, nil if none
	flight  chan struct{} // non-nil while a publish is in flight; closed when it ends
	timer   clock.Timer   // armed to publish pending when the interval has passed
	last    time.Time     // when the last publish started
	sent    bool          // a publish has started, so close clears the topic
	closed  bool
}

func newProgressSender(c clock.Clock, interval time.Duration, send func(context.Context, []byte) error, onErr func(error)) *progressSender {
	return &progressSender{clock: c, interval: interval, send: send, onErr: onErr}
}

// offer makes msg the job's latest report and publishes it as soon as the
// rules above allow. It never waits for the broker.
func (s *progressSender) offer(msg []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrJobEnded
	}
	s.pending = msg
	s.scheduleLocked()
	return nil
}

// scheduleLocked starts publishing the pending report, or arms the timer
// for when the interval since the last publish has passed. It does nothing
// while a publish is in flight (its end calls it again) or the timer is
// armed.
func (s *progressSender) scheduleLocked() {
	if s.pending == nil || s.flight != nil || s.timer != nil || s.closed {
		return
	}
	if s.sent {
		if at := s.last.Add(s.interval); s.clock.Now().Before(at) {
			s.timer = s.clock.AfterFuncAt(at, s.fire)
			return
		}
	}
	msg := s.pending
	s.pending = nil
	s.last = s.clock.Now()
	s.sent = true
	done := make(chan struct{})
	s.flight = done
	go s.publish(msg, done)
}

func (s *progressSender) fire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.timer = nil
	s.scheduleLocked()
}

// publish sends one report and then schedules the next, if any.
func (s *progressSender) publish(msg []byte, done chan struct{}) {
	defer func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.flight = nil
		close(done)
		s.scheduleLocked()
	}()
	if err := s.send(context.Background(), msg); err != nil {
		s.onErr(err)
	}
}

// close ends the job's reporting: it drops a report not yet published,
// waits for the one in flight and, if any report was published, clears
// the retained report with an empty retained publish. Later offers fail
// with ErrJobEnded.
func (s *progressSender) close(ctx context.Context) {
	s.mu.Lock()
	s.closed = true
	s.pending = nil
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	flight, sent := s.flight, s.sent
	s.mu.Unlock()
	if flight != nil {
		<-flight
	}
	if !sent {
		return
	}
	if err := s.send(ctx, nil); err != nil {
		s.onErr(fmt.Errorf("clear progress: %w", err))
	}
}
