package worker

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/eclipse/paho.golang/packets"
	"github.com/eclipse/paho.golang/paho/session"
	"github.com/stretchr/testify/require"
)

// sentAcks is a session that records the PUBACKs it is asked to send.
type sentAcks struct {
	session.SessionManager
	mu  sync.Mutex
	ids []uint16
}

func (s *sentAcks) Ack(pb *packets.Publish) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ids = append(s.ids, pb.PacketID)
	return nil
}

func (s *sentAcks) sent() []uint16 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]uint16(nil), s.ids...)
}

func newRecordedAcks() (*ackSession, *sentAcks) {
	rec := &sentAcks{}
	s := newAckSession(slog.New(slog.DiscardHandler))
	s.SessionManager = rec
	return s, rec
}

// handOver is paho's call after its handlers have seen a QoS 1 message.
func handOver(s *ackSession, id uint16) {
	_ = s.Ack(&packets.Publish{QoS: 1, PacketID: id})
}

// PUBACKs go out in the order the messages arrived [MQTT-4.6.0-2]: a
// message released early waits for every earlier one.
func TestAcksAreSentInArrivalOrder(t *testing.T) {
	s, rec := newRecordedAcks()
	a, b, c := s.expect(1, 1), s.expect(1, 2), s.expect(1, 3)
	for _, id := range []uint16{1, 2, 3} {
		handOver(s, id)
	}
	s.release(c, false)
	s.release(b, true)
	require.Empty(t, rec.sent(), "nothing may go before message 1")
	require.Equal(t, 1, s.owing())
	s.release(a, false)
	require.Equal(t, []uint16{1, 2, 3}, rec.sent())
	require.True(t, s.settled())
}

// A message released while paho's handler still runs is acknowledged at
// once, and paho's Ack after the handler does not send it again, nor a
// later message that reuses its packet ID.
func TestReleaseBeforePahoAckSendsOnce(t *testing.T) {
	s, rec := newRecordedAcks()
	p := s.expect(1, 7)
	s.release(p, true)
	require.Equal(t, []uint16{7}, rec.sent())
	handOver(s, 7)
	require.Equal(t, []uint16{7}, rec.sent())
	q := s.expect(1, 7) // the broker may reuse an acknowledged ID
	handOver(s, 7)
	require.Equal(t, []uint16{7}, rec.sent(), "the new message is not released yet")
	s.release(q, false)
	require.Equal(t, []uint16{7, 7}, rec.sent())
}

// Releasing twice sends once; QoS 0 messages have no place in line.
func TestReleaseIsIdempotentAndQoS0IsNotInLine(t *testing.T) {
	s, rec := newRecordedAcks()
	require.Nil(t, s.expect(0, 0))
	s.release(nil, true)
	p := s.expect(1, 3)
	s.release(p, false)
	s.release(p, true)
	require.Equal(t, []uint16{3}, rec.sent())
	require.True(t, s.settled())
}

// The line of a connection that ended is dropped: its messages are never
// acknowledged (the broker delivers them again), a late release does
// nothing, and a message paho hands over that was never in line is not
// acknowledged either.
func TestForgetDropsTheEndedConnectionsLine(t *testing.T) {
	s, rec := newRecordedAcks()
	a, b := s.expect(1, 1), s.expect(1, 2)
	s.release(b, true)
	require.Equal(t, 1, s.owing())
	s.forget()
	require.True(t, s.settled(), "nothing is owed on an ended connection")
	s.release(a, true)
	handOver(s, 9)
	require.Empty(t, rec.sent())
	require.True(t, s.settled())

	c := s.expect(1, 1) // the next connection's line starts empty
	s.release(c, false)
	require.Equal(t, []uint16{1}, rec.sent())
}

// settle returns once the owed PUBACKs are sent, or when its context ends.
func TestSettleWaitsForOwedAcks(t *testing.T) {
	s, _ := newRecordedAcks()
	a, b := s.expect(1, 1), s.expect(1, 2)
	s.release(b, true)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s.settle(ctx)
	require.Equal(t, 1, s.owing(), "a cancelled settle returns with the PUBACK still owed")
	done := make(chan struct{})
	go func() {
		s.settle(context.Background())
		close(done)
	}()
	s.release(a, false)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("settle did not return once the owed PUBACK was sent")
	}
	require.True(t, s.settled())
}

// blockedAcks is a session whose PUBACK writes block until released.
type blockedAcks struct {
	session.SessionManager
	writing chan struct{} // closed when the first write starts
	release chan struct{}
	once    sync.Once
}

func (s *blockedAcks) Ack(*packets.Publish) error {
	s.once.Do(func() { close(s.writing) })
	<-s.release
	return nil
}

// settle keeps its deadline while a PUBACK write blocks (a half-open
// connection): what is owed is read without the line's lock.
func TestSettleKeepsItsDeadlineWhileAWriteBlocks(t *testing.T) {
	blocked := &blockedAcks{writing: make(chan struct{}), release: make(chan struct{})}
	s := newAckSession(slog.New(slog.DiscardHandler))
	s.SessionManager = blocked
	p := s.expect(1, 1)
	go s.release(p, true)
	<-blocked.writing
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	returned := make(chan struct{})
	go func() {
		s.settle(ctx)
		close(returned)
	}()
	select {
	case <-returned:
	case <-time.After(10 * time.Second):
		t.Fatal("settle waited for a blocked write past its deadline")
	}
	require.Equal(t, 1, s.owing())
	close(blocked.release)
}
