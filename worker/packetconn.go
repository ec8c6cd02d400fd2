package worker

import (
	"context"
	"crypto/tls"
	"net"
	"net/url"
	"os"
	"sync"

	"github.com/eclipse/paho.golang/autopaho"
	"golang.org/x/net/proxy"
)

// packetConn is the worker's MQTT connection as paho writes to it. paho
// writes each packet in pieces (fixed header, then the variable header,
// properties and payload as separate slices: packets.ControlPacket.WriteTo)
// while it holds the connection's lock, which it takes because the
// connection is a sync.Locker. Over TLS every Write is a record of its own
// and a system call, and the broker reads the packet in as many pieces: a
// PUBACK took three records, a PUBLISH three or four. packetConn gathers
// the pieces of one packet, whose length it reads from the packet's fixed
// header, and writes the packet with a single Write when its last piece
// arrives; that Write's error is the last piece's error.
//
// Every write goes through ControlPacket.WriteTo, under the lock, so the
// gathering state needs no lock of its own. Reads pass through.
type packetConn struct {
	net.Conn
	sync.Mutex        // paho's write lock
	buf        []byte // the pieces of the packet being gathered
}

// maxKeptBuf is the largest gathering buffer kept for the next packet;
// a larger one (a big result) is dropped once written.
const maxKeptBuf = 16 << 10

func newPacketConn(c net.Conn) *packetConn { return &packetConn{Conn: c} }

// Write gathers p into the current packet, and writes the packet once it
// is complete. A piece that is a whole packet by itself is written as it
// is.
func (c *packetConn) Write(p []byte) (int, error) {
	if len(c.buf) == 0 {
		if n, ok := packetLen(p); ok && n == len(p) {
			return c.Conn.Write(p)
		}
	}
	c.buf = append(c.buf, p...)
	if n, ok := packetLen(c.buf); n == 0 || ok && len(c.buf) < n {
		return len(p), nil // more pieces to come
	}
	// Complete, or a header that is not MQTT's (it cannot be read, so
	// nothing is held back): write what was gathered.
	_, err := c.Conn.Write(c.buf)
	if cap(c.buf) > maxKeptBuf {
		c.buf = nil
	} else {
		c.buf = c.buf[:0]
	}
	if err != nil {
		return 0, err
	}
	return len(p), nil
}

// packetLen returns the length of the MQTT packet b begins with, read
// from its fixed header: the type byte, then the remaining length as a
// variable byte integer of one to four bytes. ok is false while the
// header is incomplete (n is then 0), or when it is malformed (n is then
// -1).
func packetLen(b []byte) (n int, ok bool) {
	remaining, mult := 0, 1
	for i := 1; i < len(b) && i <= 4; i++ {
		remaining += int(b[i]&0x7f) * mult
		if b[i]&0x80 == 0 {
			return 1 + i + remaining, true
		}
		mult *= 128
	}
	if len(b) > 4 {
		return -1, false // a fifth length byte: not MQTT
	}
	return 0, false
}

// attemptConnection dials the broker as autopaho does for an mqtts URL
// (through the proxy of the all_proxy variable when it is set, within the
// connect timeout), and hands paho a packetConn.
func attemptConnection(ctx context.Context, cfg autopaho.ClientConfig, u *url.URL) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.ConnectTimeout)
	defer cancel()
	if os.Getenv("all_proxy") == "" {
		d := tls.Dialer{Config: cfg.TlsCfg}
		conn, err := d.DialContext(ctx, "tcp", u.Host)
		if err != nil {
			return nil, err
		}
		return newPacketConn(conn), nil
	}
	conn, err := proxy.Dial(ctx, "tcp", u.Host)
	if err != nil {
		return nil, err
	}
	tlsConn := tls.Client(conn, cfg.TlsCfg)
	if err := tlsConn.HandshakeContext(ctx); err != nil {
		_ = conn.Close()
		return nil, err
	}
	return newPacketConn(tlsConn), nil
}
