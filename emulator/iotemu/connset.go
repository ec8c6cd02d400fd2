package iotemu

import (
	"net"
	"sync"
)

// connSet counts and holds the broker's open connections, up to max.
type connSet struct {
	max   int
	mu    sync.Mutex
	conns map[*trackedConn]struct{}
}

func newConnSet(max int) *connSet {
	return &connSet{max: max, conns: map[*trackedConn]struct{}{}}
}

// add admits c unless max connections are open.
func (s *connSet) add(c net.Conn) (*trackedConn, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.conns) >= s.max {
		return nil, false
	}
	t := &trackedConn{Conn: c, set: s}
	s.conns[t] = struct{}{}
	return t, true
}

// len is the number of open connections.
func (s *connSet) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

func (s *connSet) remove(t *trackedConn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, t)
}

// closeAll closes every open connection.
func (s *connSet) closeAll() {
	s.mu.Lock()
	all := make([]*trackedConn, 0, len(s.conns))
	for t := range s.conns {
		all = append(all, t)
	}
	s.mu.Unlock()
	for _, t := range all {
		_ = t.Close()
	}
}

// trackedConn leaves its set when closed.
type trackedConn struct {
	net.Conn
	set  *connSet
	once sync.Once
}

func (t *trackedConn) Close() error {
	t.once.Do(func() { t.set.remove(t) })
	return t.Conn.Close()
}
