package emulator_test

import (
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/emulator"
)

// TestBindingAndEndpoints: ":0" binds loopback; an explicit 0.0.0.0 binds
// every interface; either way endpoints.json holds addresses a client can
// dial.
func TestBindingAndEndpoints(t *testing.T) {
	for _, tc := range []struct {
		addr     string
		loopback bool
	}{
		{":0", true},
		{"0.0.0.0:0", false},
	} {
		t.Run(tc.addr, func(t *testing.T) {
			dir := t.TempDir()
			emu := startEmulator(t, emulator.Config{DataDir: dir, HTTPAddr: tc.addr, MQTTAddr: tc.addr})
			var ends emulator.Endpoints
			b, err := os.ReadFile(filepath.Join(dir, "endpoints.json"))
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(b, &ends))
			require.Equal(t, emu.Endpoints(), ends)
			for _, hostPort := range []string{strings.TrimPrefix(ends.HTTP, "http://"), ends.MQTT} {
				host, _, err := net.SplitHostPort(hostPort)
				require.NoError(t, err)
				require.Equal(t, "127.0.0.1", host, "endpoints.json holds %s", hostPort)
				c, err := net.DialTimeout("tcp", hostPort, 30*time.Second)
				require.NoError(t, err)
				_ = c.Close()
			}
			resp, err := http.Get(ends.HTTP + "/_stepwire/ca")
			require.NoError(t, err)
			_ = resp.Body.Close()
			require.Equal(t, http.StatusOK, resp.StatusCode)
			ip := externalIP(t)
			for _, hostPort := range []string{strings.TrimPrefix(ends.HTTP, "http://"), ends.MQTT} {
				_, port, _ := net.SplitHostPort(hostPort)
				c, err := net.DialTimeout("tcp", net.JoinHostPort(ip, port), 30*time.Second)
				if err == nil {
					_ = c.Close()
				}
				require.Equal(t, tc.loopback, err != nil, "dial %s:%s: %v", ip, port, err)
			}
		})
	}
}

// externalIP is a non-loopback IPv4 address of this machine.
func externalIP(t *testing.T) string {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	require.NoError(t, err)
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			return n.IP.String()
		}
	}
	t.Skip("no non-loopback IPv4 address to test the binding with")
	return ""
}

// TestForeignHostAndOrigin: the request a web page or DNS rebinding could
// make, a text/plain POST that injects a job, is refused with an AWS
// error; the same request from a configured name or allowed origin passes.
func TestForeignHostAndOrigin(t *testing.T) {
	emu := startEmulator(t, emulator.Config{HTTPHosts: []string{"stepwire"}, AllowOrigins: []string{"http://localhost:3000"}})
	url := emu.Endpoints().HTTP + "/topics/tenant1/to/worker?qos=1"
	for _, tc := range []struct {
		name, host, origin string
		want               int
	}{
		{"foreign host and origin", "evil.example", "http://evil.example", http.StatusForbidden},
		{"foreign host", "rebind.evil.example:4566", "", http.StatusForbidden},
		{"foreign origin", "", "http://evil.example", http.StatusForbidden},
		{"dialled address", "", "", http.StatusOK},
		{"configured name", "stepwire:4566", "", http.StatusOK},
		{"allowed origin", "localhost", "http://localhost:3000", http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(`{"Input":{},"TaskToken":"x"}`))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "text/plain")
			if tc.host != "" {
				req.Host = tc.host
			}
			if tc.origin != "" {
				req.Header.Set("Origin", tc.origin)
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			require.Equal(t, tc.want, resp.StatusCode)
			if tc.want == http.StatusForbidden {
				require.Equal(t, "AccessDeniedException", resp.Header.Get("X-Amzn-ErrorType"))
			}
		})
	}
}
