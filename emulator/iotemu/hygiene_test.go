package iotemu

import (
	"bytes"
	"crypto/tls"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eclipse/paho.golang/paho"
	"github.com/stretchr/testify/require"
)

// idleSocket is a connection to the broker that never sends CONNECT;
// closed receives how long after the dial began the broker closed it.
type idleSocket struct {
	conn   net.Conn
	closed chan time.Duration
}

// holdIdle opens n sockets of the given kind ("tcp": no TLS handshake;
// "tls": a completed handshake with a valid client certificate) and
// watches each for the broker closing it.
func holdIdle(t *testing.T, s *Service, kind string, n int, cfg *tls.Config) []idleSocket {
	t.Helper()
	socks := make([]idleSocket, n)
	for i := range socks {
		began := time.Now()
		var c net.Conn
		var err error
		if kind == "tls" {
			c, err = tls.DialWithDialer(&net.Dialer{Timeout: 30 * time.Second}, "tcp", s.MQTTAddr(), cfg)
		} else {
			c, err = net.DialTimeout("tcp", s.MQTTAddr(), 30*time.Second)
		}
		require.NoError(t, err, "socket %d", i)
		t.Cleanup(func() { _ = c.Close() })
		socks[i] = idleSocket{conn: c, closed: make(chan time.Duration, 1)}
		go func(sk idleSocket) {
			_ = sk.conn.SetReadDeadline(time.Now().Add(2 * time.Minute))
			_, _ = io.Copy(io.Discard, sk.conn)
			sk.closed <- time.Since(began)
		}(socks[i])
	}
	return socks
}

// TestIdleSocketsClosedBeforeConnect: 300 sockets left idle before CONNECT,
// plain TCP or after the TLS handshake, are closed once ConnectTimeout
// passes, and a good client connects while they are held.
func TestIdleSocketsClosedBeforeConnect(t *testing.T) {
	const n = 300
	const timeout = 6 * time.Second
	s := startServiceWith(t, func(c *Config) { c.ConnectTimeout = timeout })
	good := setupSample(t, s)
	for _, kind := range []string{"tcp", "tls"} {
		t.Run(kind, func(t *testing.T) {
			socks := holdIdle(t, s, kind, n, good)
			heldAtConnect := s.listener.conns.len()
			mc := mustDial(t, s, good, "mqtt-container-client")
			require.NoError(t, mc.Disconnect(&paho.Disconnect{}))
			require.GreaterOrEqual(t, heldAtConnect, n/2, "the good client connected while idle sockets were held")
			for i, sk := range socks {
				select {
				case d := <-sk.closed:
					require.GreaterOrEqual(t, d, timeout, "socket %d closed before the deadline", i)
					require.Less(t, d, timeout+30*time.Second, "socket %d", i)
				case <-time.After(timeout + 60*time.Second):
					t.Fatalf("socket %d still open after %v", i, timeout+60*time.Second)
				}
			}
			waitFor(t, func() bool { return s.listener.conns.len() == 0 }, "the broker still counts idle sockets")
		})
	}
}

// TestConnectionCap: once MaxConnections are open a new socket is closed at
// once and the log says why; when one closes, a good client connects.
func TestConnectionCap(t *testing.T) {
	const max = 5
	logs := &syncBuffer{}
	s := startServiceWith(t, func(c *Config) {
		c.MaxConnections = max
		c.Logger = slog.New(slog.NewTextHandler(logs, nil))
	})
	good := setupSample(t, s)
	socks := holdIdle(t, s, "tcp", max, nil)
	waitFor(t, func() bool { return s.listener.conns.len() == max }, "the broker did not count the held sockets")

	extra := holdIdle(t, s, "tcp", 1, nil)[0]
	select {
	case <-extra.closed:
	case <-time.After(30 * time.Second):
		t.Fatal("a connection over the cap was not closed")
	}
	waitFor(t, func() bool { return strings.Contains(logs.String(), "mqtt connection limit reached") }, "no log line for the cap")
	_, _, err := dial(t, s, good, "mqtt-container-client")
	require.Error(t, err, "a client over the cap connected")

	require.NoError(t, socks[0].conn.Close())
	waitFor(t, func() bool { return s.listener.conns.len() < max }, "the closed socket is still counted")
	mustDial(t, s, good, "mqtt-container-client")
	require.Contains(t, logs.String(), "mqtt connections below the limit again")
}

// waitFor polls cond for up to 30 s.
func waitFor(t *testing.T, cond func() bool, msg string) {
	t.Helper()
	require.Eventually(t, cond, 30*time.Second, 10*time.Millisecond, msg)
}

// syncBuffer is a bytes.Buffer safe for concurrent log writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
