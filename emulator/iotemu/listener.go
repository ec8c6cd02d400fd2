package iotemu

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mochi-mqtt/server/v2/listeners"
)

// Connection hygiene defaults (docs/iot-core.md §3.9).
const (
	// DefaultConnectTimeout is how long a connection has to finish the TLS
	// handshake and send CONNECT; IoT Core closes a connection that sends
	// no CONNECT.
	DefaultConnectTimeout = 10 * time.Second
	// DefaultMaxConnections caps the broker's concurrent connections,
	// counted from accept to close, CONNECT or not.
	DefaultMaxConnections = 1000
)

// Accept retry delays after an error such as EMFILE (as net/http's).
const (
	acceptRetryMin = 5 * time.Millisecond
	acceptRetryMax = time.Second
)

// mqttListener is the broker's TLS listener, a mochi listeners.Listener.
// Unlike mochi's listeners.TCP, whose Serve returns on the first Accept
// error, it keeps accepting after temporary errors (EMFILE, ENFILE: it
// backs off, logs, resumes); it caps concurrent connections; and it
// gives each connection ConnectTimeout to finish the TLS handshake and
// send CONNECT. mochi replaces that deadline with the keep-alive one
// after CONNECT (limitsHook makes the keep-alive non-zero), so it bounds
// only the time before CONNECT.
type mqttListener struct {
	id, addr       string
	tls            *tls.Config
	connectTimeout time.Duration
	log            *slog.Logger

	ln       net.Listener
	conns    *connSet
	refusing atomic.Bool // the cap was reached and not yet left
	failing  atomic.Bool // Accept is failing
	done     chan struct{}
	once     sync.Once
	// served is closed when Serve returns; establishing counts the
	// goroutines handing connections to the broker (drain waits for both).
	served       chan struct{}
	establishing sync.WaitGroup
}

func newMQTTListener(id, addr string, tlsCfg *tls.Config, connectTimeout time.Duration, maxConns int) *mqttListener {
	return &mqttListener{
		id: id, addr: addr, tls: tlsCfg, connectTimeout: connectTimeout,
		log: slog.New(slog.DiscardHandler), conns: newConnSet(maxConns), done: make(chan struct{}),
		served: make(chan struct{}),
	}
}

// ID implements listeners.Listener.
func (l *mqttListener) ID() string { return l.id }

// Protocol implements listeners.Listener.
func (l *mqttListener) Protocol() string { return "tcp" }

// Address returns the bound host:port once listening.
func (l *mqttListener) Address() string {
	if l.ln != nil {
		return l.ln.Addr().String()
	}
	return l.addr
}

// Init implements listeners.Listener: it listens on TCP (TLS is layered
// per connection, after the cap check). A listener set beforehand (tests)
// is kept.
func (l *mqttListener) Init(log *slog.Logger) error {
	if log != nil {
		l.log = log
	}
	if l.ln != nil {
		return nil
	}
	ln, err := net.Listen("tcp", l.addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	l.ln = ln
	return nil
}

// Serve implements listeners.Listener: it hands each accepted connection
// to establish until the listener is closed.
func (l *mqttListener) Serve(establish listeners.EstablishFn) {
	defer close(l.served)
	for {
		c, err := l.accept()
		if err != nil {
			return
		}
		l.establishing.Add(1)
		go func() {
			defer l.establishing.Done()
			l.logEnd(c, establish(l.id, c))
		}()
	}
}

// drain waits, at most timeout, until Serve has returned and every
// connection it handed to the broker has ended, so that the broker's
// Close does not run while a connection is still being established (mochi
// reads state in EstablishConnection that Close writes). Call it after
// Close.
func (l *mqttListener) drain(timeout time.Duration) bool {
	return waitWithin(func() {
		<-l.served
		l.establishing.Wait()
	}, timeout)
}

// waitWithin runs wait on a goroutine of its own and reports whether it
// returned within timeout.
func waitWithin(wait func(), timeout time.Duration) bool {
	ended := make(chan struct{})
	go func() {
		wait()
		close(ended)
	}()
	select {
	case <-ended:
		return true
	case <-time.After(timeout):
		return false
	}
}

// logEnd logs why a connection ended: a timeout (no CONNECT within
// ConnectTimeout, or a keep-alive expiry) at Info, as it is routine under
// a scan or a flood; other errors at Warn, as mochi's listener did.
func (l *mqttListener) logEnd(c net.Conn, err error) {
	var ne net.Error
	switch {
	case err == nil:
	case errors.As(err, &ne) && ne.Timeout():
		l.log.Info("mqtt connection timed out", "remote", c.RemoteAddr().String(), "error", err)
	default:
		l.log.Warn("mqtt connection ended", "remote", c.RemoteAddr().String(), "error", err)
	}
}

// accept returns the next admitted connection, wrapped in TLS with the
// CONNECT deadline set. It returns an error only once the listener is
// closed or Accept fails for good.
func (l *mqttListener) accept() (net.Conn, error) {
	var delay time.Duration
	for {
		c, err := l.ln.Accept()
		if err != nil {
			if l.closed() || errors.Is(err, net.ErrClosed) {
				return nil, net.ErrClosed
			}
			delay = min(max(2*delay, acceptRetryMin), acceptRetryMax)
			l.failing.Store(true)
			l.log.Warn("mqtt accept failed; retrying", "error", err, "retryIn", delay)
			select {
			case <-time.After(delay):
			case <-l.done:
				return nil, net.ErrClosed
			}
			continue
		}
		if l.failing.Swap(false) {
			l.log.Info("mqtt accepting connections again")
		}
		delay = 0
		if tc, ok := l.admit(c); ok {
			return tc, nil
		}
	}
}

// admit applies the connection cap and the CONNECT deadline.
func (l *mqttListener) admit(c net.Conn) (net.Conn, bool) {
	tracked, ok := l.conns.add(c)
	if !ok {
		if !l.refusing.Swap(true) {
			l.log.Warn("mqtt connection limit reached: refusing new connections until some close",
				"limit", l.conns.max, "remote", c.RemoteAddr().String())
		}
		_ = c.Close()
		return nil, false
	}
	if l.refusing.Swap(false) {
		l.log.Info("mqtt connections below the limit again", "limit", l.conns.max)
	}
	_ = c.SetDeadline(time.Now().Add(l.connectTimeout))
	return tls.Server(tracked, l.tls), true
}

func (l *mqttListener) closed() bool {
	select {
	case <-l.done:
		return true
	default:
		return false
	}
}

// Close implements listeners.Listener: it disconnects the listener's
// clients (closeClients), stops accepting, and closes the connections that
// had not sent CONNECT.
func (l *mqttListener) Close(closeClients listeners.CloseFn) {
	l.once.Do(func() {
		close(l.done)
		closeClients(l.id)
		if l.ln != nil {
			_ = l.ln.Close()
		}
		l.conns.closeAll()
	})
}
