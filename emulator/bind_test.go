package emulator

import "testing"

func TestListenAddr(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{":0", "127.0.0.1:0"},
		{":4566", "127.0.0.1:4566"},
		{"0.0.0.0:4566", "0.0.0.0:4566"},
		{"[::]:4566", "[::]:4566"},
		{"localhost:4566", "localhost:4566"},
		{"192.0.2.7:8883", "192.0.2.7:8883"},
		{"not an address", "not an address"},
	} {
		if got := listenAddr(tc.in); got != tc.want {
			t.Errorf("listenAddr(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDialAddr(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"127.0.0.1:4566", "127.0.0.1:4566"},
		{"0.0.0.0:4566", "127.0.0.1:4566"},
		{"[::]:4566", "127.0.0.1:4566"},
		{"[::1]:4566", "[::1]:4566"},
		{"192.0.2.7:8883", "192.0.2.7:8883"},
	} {
		if got := dialAddr(tc.in); got != tc.want {
			t.Errorf("dialAddr(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
