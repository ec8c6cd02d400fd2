package emulator

import "net"

// listenAddr is where an address given as ":PORT" binds: loopback,
// 127.0.0.1:PORT, so that a default never exposes the emulator to the
// network. An explicit host, 0.0.0.0 or [::] included, is kept (containers
// pass 0.0.0.0:PORT).
func listenAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host != "" {
		return addr
	}
	return net.JoinHostPort("127.0.0.1", port)
}

// dialAddr is an address a client can dial to reach a listener bound to
// addr: an unspecified host (0.0.0.0, ::) becomes 127.0.0.1.
func dialAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
