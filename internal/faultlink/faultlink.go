// Package faultlink is a TCP forwarder that tests and scenarios put
// between a client and the broker to cut the network: cutting closes the
// connections through it and refuses new ones until it is restored. From
// the broker's side the client's host is gone; from the client's, the
// network is.
package faultlink

import (
	"fmt"
	"io"
	"net"
	"sync"
)

// Link forwards TCP connections to a target until it is cut.
type Link struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  []net.Conn
	isCut  bool
	// forwarded counts the connections let through since the last cut.
	forwarded int
}

// New listens on a free loopback port and forwards to target.
func New(target string) (*Link, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("faultlink: %w", err)
	}
	l := &Link{ln: ln, target: target}
	go l.serve()
	return l, nil
}

// Addr is the address clients dial instead of the target.
func (l *Link) Addr() string { return l.ln.Addr().String() }

func (l *Link) serve() {
	for {
		in, err := l.ln.Accept()
		if err != nil {
			return
		}
		if l.IsCut() {
			in.Close()
			continue
		}
		out, err := net.Dial("tcp", l.target)
		if err != nil {
			in.Close()
			continue
		}
		if !l.track(in, out) {
			continue
		}
		go pipe(in, out)
		go pipe(out, in)
	}
}

// Connections reports how many connections went through since the last
// cut.
func (l *Link) Connections() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.forwarded
}

// IsCut reports whether the link is cut.
func (l *Link) IsCut() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.isCut
}

func (l *Link) track(conns ...net.Conn) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.isCut {
		for _, c := range conns {
			c.Close()
		}
		return false
	}
	l.conns = append(l.conns, conns...)
	l.forwarded++
	return true
}

// Cut closes the connections and refuses new ones.
func (l *Link) Cut() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.isCut = true
	for _, c := range l.conns {
		c.Close()
	}
	l.conns, l.forwarded = nil, 0
}

// Restore lets connections through again.
func (l *Link) Restore() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.isCut = false
}

// Close cuts the link for good and stops listening.
func (l *Link) Close() {
	l.Cut()
	l.ln.Close()
}

func pipe(dst, src net.Conn) {
	_, _ = io.Copy(dst, src)
	dst.Close()
}
