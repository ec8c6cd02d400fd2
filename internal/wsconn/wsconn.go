// Package wsconn turns a WebSocket into a net.Conn of binary frames, the
// transport of MQTT over WebSocket (MQTT 5.0 §6): the bytes of MQTT
// packets travel in binary data frames, and a packet may span frames or
// share one with others, so reads ignore frame boundaries.
package wsconn

import (
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// ErrTextFrame is returned by Read when the peer sends a text frame,
// which MQTT over WebSocket does not allow.
var ErrTextFrame = errors.New("wsconn: text frame on an MQTT WebSocket")

// Conn is a net.Conn over a WebSocket. Writes may come from several
// goroutines (each Write is one binary frame); reads from one at a time.
type Conn struct {
	ws  *websocket.Conn
	r   io.Reader // the frame being read, nil between frames
	wmu sync.Mutex
	// pmu is the connection's sync.Locker: paho holds it across the
	// several Writes of one packet, so that its pinger's PINGREQ (or any
	// other packet) cannot land between them.
	pmu sync.Mutex
	// writeDeadline is applied by the next Write: gorilla's own
	// SetWriteDeadline must not race a write, and a reader (mochi sets
	// deadlines from its read loop) must not wait for a blocked write.
	writeDeadline atomic.Pointer[time.Time]
}

var _ net.Conn = (*Conn)(nil)

// New wraps ws.
func New(ws *websocket.Conn) *Conn { return &Conn{ws: ws} }

// Read reads from the current binary frame, moving on to the next when it
// is used up.
func (c *Conn) Read(p []byte) (int, error) {
	for {
		if c.r == nil {
			typ, r, err := c.ws.NextReader()
			if err != nil {
				return 0, err
			}
			if typ != websocket.BinaryMessage {
				return 0, ErrTextFrame
			}
			c.r = r
		}
		n, err := c.r.Read(p)
		if errors.Is(err, io.EOF) {
			c.r = nil
			if n == 0 {
				continue
			}
			err = nil
		}
		return n, err
	}
}

// Write sends p as one binary frame.
func (c *Conn) Write(p []byte) (int, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	var deadline time.Time
	if d := c.writeDeadline.Load(); d != nil {
		deadline = *d
	}
	if err := c.ws.SetWriteDeadline(deadline); err != nil {
		return 0, fmt.Errorf("websocket write: %w", err)
	}
	if err := c.ws.WriteMessage(websocket.BinaryMessage, p); err != nil {
		return 0, fmt.Errorf("websocket write: %w", err)
	}
	return len(p), nil
}

// Close closes the underlying connection without a closing handshake
// (the MQTT layer has ended the session, or the peer is gone).
// Lock implements sync.Locker for paho's ControlPacket.WriteTo, which
// writes a packet's header and body separately: a paho client on a
// Conn needs no packets.NewThreadSafeConn.
func (c *Conn) Lock() { c.pmu.Lock() }

// Unlock implements sync.Locker.
func (c *Conn) Unlock() { c.pmu.Unlock() }

func (c *Conn) Close() error { return c.ws.Close() }

// LocalAddr implements net.Conn.
func (c *Conn) LocalAddr() net.Addr { return c.ws.LocalAddr() }

// RemoteAddr implements net.Conn.
func (c *Conn) RemoteAddr() net.Addr { return c.ws.RemoteAddr() }

// SetDeadline implements net.Conn.
func (c *Conn) SetDeadline(t time.Time) error {
	return errors.Join(c.SetReadDeadline(t), c.SetWriteDeadline(t))
}

// SetReadDeadline implements net.Conn.
func (c *Conn) SetReadDeadline(t time.Time) error { return c.ws.NetConn().SetReadDeadline(t) }

// SetWriteDeadline implements net.Conn: it applies from the next Write.
func (c *Conn) SetWriteDeadline(t time.Time) error {
	c.writeDeadline.Store(&t)
	return nil
}
