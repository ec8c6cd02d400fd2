package worker

import (
	"context"
	"sync"
	"time"

	"github.com/eclipse/paho.golang/packets"
	"github.com/eclipse/paho.golang/paho/session"
	"github.com/eclipse/paho.golang/paho/session/state"
)

// paho sends manual acknowledgements in order, in batches, every
// ackInterval. A job the worker took on just before a clean disconnect
// must have its PUBACK on the wire before the DISCONNECT, or the broker
// delivers it again to the next worker with this client ID: the job would
// run twice. ackSession counts the acknowledgements of jobs taken on that
// paho has not sent yet, so Run can wait for them (settle) before it
// disconnects.
type ackSession struct {
	session.SessionManager
	mu   sync.Mutex
	owed map[uint16]struct{} // packet IDs released, PUBACK not yet sent
}

func newAckSession() *ackSession {
	return &ackSession{SessionManager: state.NewInMemory(), owed: map[uint16]struct{}{}}
}

// owe records that the PUBACK of packet id is about to be released. Call
// it before releasing it, so the send cannot come first.
func (s *ackSession) owe(id uint16) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.owed[id] = struct{}{}
}

// unowe drops packet id from what is owed: its PUBACK will not be sent.
func (s *ackSession) unowe(id uint16) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.owed, id)
}

// Ack sends the PUBACK (paho calls it from its flush).
func (s *ackSession) Ack(pb *packets.Publish) error {
	err := s.SessionManager.Ack(pb)
	s.mu.Lock()
	delete(s.owed, pb.PacketID)
	s.mu.Unlock()
	return err
}

// forget drops what is owed on a connection that has ended: it will not be
// sent, and the broker delivers those messages again.
func (s *ackSession) forget() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.owed)
}

func (s *ackSession) settled() bool { return s.owing() == 0 }

// owing is how many PUBACKs are owed.
func (s *ackSession) owing() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.owed)
}

// settle waits until every owed PUBACK has been sent, or ctx is done. It
// polls at ackInterval, the pace of paho's flush, on the wall clock: it
// waits for network writes.
func (s *ackSession) settle(ctx context.Context) {
	t := time.NewTicker(ackInterval)
	defer t.Stop()
	for !s.settled() {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
