package scenarios

import (
	"fmt"
	"io"
	"net"
	"sync"
)

// link forwards a worker's TCP connections to the broker. Cutting it
// closes them and refuses new ones until it is restored: from the broker's
// side, the worker's host is gone; from the worker's, the network is.
type link struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  []net.Conn
	isCut  bool
	// forwarded counts the connections let through since the last cut.
	forwarded int
}

func newLink(target string) (*link, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("link: %w", err)
	}
	l := &link{ln: ln, target: target}
	go l.serve()
	return l, nil
}

func (l *link) addr() string { return l.ln.Addr().String() }

func (l *link) serve() {
	for {
		in, err := l.ln.Accept()
		if err != nil {
			return
		}
		if l.cutNow() {
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

// connections reports how many connections went through since the last cut.
func (l *link) connections() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.forwarded
}

func (l *link) cutNow() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.isCut
}

func (l *link) track(conns ...net.Conn) bool {
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

// cut closes the connections and refuses new ones.
func (l *link) cut() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.isCut = true
	for _, c := range l.conns {
		c.Close()
	}
	l.conns, l.forwarded = nil, 0
}

// restore lets connections through again.
func (l *link) restore() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.isCut = false
}

// close cuts the link for good and stops listening.
func (l *link) close() {
	l.cut()
	l.ln.Close()
}

func pipe(dst, src net.Conn) {
	_, _ = io.Copy(dst, src)
	dst.Close()
}
