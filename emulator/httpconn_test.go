package emulator_test

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/emulator"
)

// startEmulator starts an emulator with cfg on loopback ports.
func startEmulator(t *testing.T, cfg emulator.Config) *emulator.Emulator {
	t.Helper()
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.HTTPAddr == "" {
		cfg.HTTPAddr = "127.0.0.1:0"
	}
	if cfg.MQTTAddr == "" {
		cfg.MQTTAddr = "127.0.0.1:0"
	}
	emu, err := emulator.New(cfg)
	require.NoError(t, err)
	require.NoError(t, emu.Start(context.Background()))
	t.Cleanup(func() { _ = emu.Close() })
	return emu
}

// TestHTTPConnectionsTimeOut: 300 sockets of each kind — silent, headers
// without the promised body, keep-alive after one request — are closed
// once their timeout passes, and a good request succeeds meanwhile.
func TestHTTPConnectionsTimeOut(t *testing.T) {
	const n = 300
	timeouts := emulator.HTTPTimeouts{ReadHeader: 2 * time.Second, Read: 3 * time.Second, Idle: 2 * time.Second}
	emu := startEmulator(t, emulator.Config{HTTPTimeouts: timeouts})
	addr := strings.TrimPrefix(emu.Endpoints().HTTP, "http://")
	cases := []struct {
		name    string
		timeout time.Duration
		open    func(t *testing.T, c net.Conn)
	}{
		{"silent", timeouts.ReadHeader, func(*testing.T, net.Conn) {}},
		{"headers without body", timeouts.Read, func(t *testing.T, c net.Conn) {
			_, err := io.WriteString(c, "POST /topics/t HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n")
			require.NoError(t, err)
		}},
		{"keep-alive", timeouts.Idle, func(t *testing.T, c net.Conn) {
			_, err := io.WriteString(c, "GET /_stepwire/ca HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
			require.NoError(t, err)
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			require.NoError(t, err)
			_, _ = io.Copy(io.Discard, resp.Body)
			require.Equal(t, http.StatusOK, resp.StatusCode)
			require.False(t, resp.Close, "the server ended keep-alive")
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			closed := make([]chan time.Duration, n)
			for i := range closed {
				closed[i] = holdHTTP(t, addr, tc.open)
			}
			resp, err := http.Get(emu.Endpoints().HTTP + "/_stepwire/ca")
			require.NoError(t, err)
			_ = resp.Body.Close()
			require.Equal(t, http.StatusOK, resp.StatusCode)
			for i, ch := range closed {
				select {
				case d := <-ch:
					require.GreaterOrEqual(t, d, tc.timeout, "socket %d closed before its timeout", i)
					require.Less(t, d, tc.timeout+30*time.Second, "socket %d", i)
				case <-time.After(tc.timeout + 60*time.Second):
					t.Fatalf("socket %d still open", i)
				}
			}
		})
	}
}

// holdHTTP dials addr, runs open, and reports on the returned channel how
// long after the dial began the server closed the connection.
func holdHTTP(t *testing.T, addr string, open func(*testing.T, net.Conn)) chan time.Duration {
	t.Helper()
	began := time.Now()
	c, err := net.DialTimeout("tcp", addr, 30*time.Second)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	open(t, c)
	closed := make(chan time.Duration, 1)
	go func() {
		_ = c.SetReadDeadline(time.Now().Add(2 * time.Minute))
		_, _ = io.Copy(io.Discard, c)
		closed <- time.Since(began)
	}()
	return closed
}
