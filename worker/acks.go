package worker

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/eclipse/paho.golang/packets"
	"github.com/eclipse/paho.golang/paho/session"
	"github.com/eclipse/paho.golang/paho/session/state"
)

// Acknowledgements. The worker acknowledges a QoS 1 message only once it
// is done with it (a job taken on or dropped for good, a cancel read:
// admission.go), and MQTT wants PUBACKs in the order the messages arrived
// [MQTT-4.6.0-2]. ackSession keeps that order: each message takes its
// place in line as it arrives (expect), is released when the worker is
// done with it, and the released head of the line is acknowledged at
// once. paho's own manual acknowledgement keeps the same order but sends
// on a ticker, which woke every worker 200 times a second to find nothing
// to send: the cost of a host running many workers, and up to a tick of
// delay on each PUBACK, against the broker's in-flight window.
//
// paho runs with automatic acknowledgement and calls Ack for each message
// after its handler; for a message in line that call only says paho is
// done with it. A job taken on just before a clean disconnect must have
// its PUBACK on the wire before the DISCONNECT, or the broker delivers it
// again to the next worker with this client ID: settle waits for the
// PUBACKs of the jobs taken on ("owed").
type ackSession struct {
	session.SessionManager
	logger *slog.Logger
	mu     sync.Mutex             // held while PUBACKs are written, which keeps them in order
	line   []*pendingAck          // in arrival order, the head not yet released
	ids    map[uint16]*pendingAck // the line, and those sent that paho has not called Ack for
	// owed counts the messages released as taken on whose PUBACK is not
	// sent yet; read without mu, so that settle keeps its deadline while
	// a write blocks.
	owed atomic.Int64
}

// pendingAck is one QoS 1 message of the current connection.
type pendingAck struct {
	pb       *packets.Publish
	released bool // the worker is done with it
	owed     bool // released as a job taken on
	sent     bool // its PUBACK went to the session
	handed   bool // paho called Ack for it
	dropped  bool // its connection ended first: never sent
}

func newAckSession(logger *slog.Logger) *ackSession {
	return &ackSession{SessionManager: state.NewInMemory(), logger: logger, ids: map[uint16]*pendingAck{}}
}

// expect puts a message that has arrived in line; it returns nil for a
// QoS 0 message, which has nothing to acknowledge.
func (s *ackSession) expect(qos byte, id uint16) *pendingAck {
	if qos == 0 {
		return nil
	}
	p := &pendingAck{pb: &packets.Publish{QoS: qos, PacketID: id}}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.line = append(s.line, p)
	s.ids[id] = p
	return p
}

// release says the worker is done with p, a job taken on when owe is set,
// and sends every PUBACK now due. A message of an ended connection stays
// unacknowledged.
func (s *ackSession) release(p *pendingAck, owe bool) {
	if p == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.released || p.dropped {
		return
	}
	p.released = true
	if owe {
		p.owed = true
		s.owed.Add(1)
	}
	s.flushLocked()
}

// flushLocked acknowledges the released head of the line, in order. s.mu
// is held; the session writes each PUBACK (a failed write means the
// connection is gone, and the broker delivers the message again).
func (s *ackSession) flushLocked() {
	for len(s.line) > 0 && s.line[0].released {
		p := s.line[0]
		s.line[0] = nil
		s.line = s.line[1:]
		if err := s.SessionManager.Ack(p.pb); err != nil {
			// The connection has gone: the broker delivers the message again.
			s.logger.Warn("acknowledging a message failed", "packetId", p.pb.PacketID, "err", err)
		}
		p.sent = true
		if p.owed {
			s.owed.Add(-1)
		}
		if p.handed {
			delete(s.ids, p.pb.PacketID)
		}
	}
}

// Ack is paho's call once its handlers have seen pb. A message in line is
// acknowledged when released; one paho hands over that was never in line
// belongs to a connection that has ended (forget) and is not acknowledged.
func (s *ackSession) Ack(pb *packets.Publish) error {
	if pb.QoS == 0 {
		return s.SessionManager.Ack(pb)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.ids[pb.PacketID]
	if p == nil {
		return nil
	}
	p.handed = true
	if p.sent {
		delete(s.ids, pb.PacketID)
	}
	return nil
}

// forget drops the line of a connection that has ended: those messages
// are not acknowledged, and the broker delivers them again.
func (s *ackSession) forget() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.line {
		p.dropped = true
	}
	s.line = nil
	clear(s.ids)
	s.owed.Store(0)
}

func (s *ackSession) settled() bool { return s.owing() == 0 }

// owing is how many PUBACKs of jobs taken on are not sent yet.
func (s *ackSession) owing() int { return int(s.owed.Load()) }

// settlePoll is how often settle looks, on the wall clock: it waits for
// earlier messages in line to be released.
const settlePoll = 5 * time.Millisecond

// settle waits until every owed PUBACK has been sent, or ctx is done.
func (s *ackSession) settle(ctx context.Context) {
	t := time.NewTicker(settlePoll)
	defer t.Stop()
	for !s.settled() {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
