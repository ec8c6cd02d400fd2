package iotemu

import (
	"bufio"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/listeners"
	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/stepwire/stepwire/internal/clock"
	"github.com/stepwire/stepwire/internal/wsconn"
)

// MQTT over WebSocket (docs/iot-core.md §7).
const (
	// WebSocketPath is where the AWS API endpoint serves MQTT over
	// WebSocket, as IoT Core serves it at wss://<ats-endpoint>/mqtt.
	WebSocketPath = "/mqtt"
	// WebSocketMaxDuration is how long IoT Core keeps a WebSocket
	// connection open (§3.9); it then closes it with the lifecycle reason
	// WEBSOCKET_TTL_EXPIRATION.
	WebSocketMaxDuration = 24 * time.Hour
	wsListenerID         = "ws"
	// wsMaxFrame bounds one WebSocket frame: the largest MQTT packet the
	// broker accepts and room for the next packet's header.
	wsMaxFrame = maxPayload + 8192
)

// wsListener is the broker's listener for MQTT over WebSocket. It does
// not listen itself: the AWS API endpoint hands it upgrade requests
// (ServeHTTP), already authenticated by SigV4 when the emulator checks
// signatures. Its connections count in the same cap as the TLS
// listener's and have the same ConnectTimeout to send CONNECT.
type wsListener struct {
	conns          *connSet
	connectTimeout time.Duration
	log            *slog.Logger
	upgrader       websocket.Upgrader
	refusing       atomic.Bool

	// served is closed once the broker has handed over establish.
	served chan struct{}

	mu        sync.Mutex
	establish listeners.EstablishFn
	closed    bool
	// establishing counts the requests handing a connection to the broker.
	establishing sync.WaitGroup
}

func newWSListener(conns *connSet, connectTimeout time.Duration) *wsListener {
	return &wsListener{
		conns: conns, connectTimeout: connectTimeout, log: slog.New(slog.DiscardHandler),
		served: make(chan struct{}),
		upgrader: websocket.Upgrader{
			Subprotocols: []string{"mqtt"},
			// awsapi.Exposure has already refused foreign browser origins.
			CheckOrigin: func(*http.Request) bool { return true },
		},
	}
}

// ID implements listeners.Listener.
func (l *wsListener) ID() string { return wsListenerID }

// Protocol implements listeners.Listener.
func (l *wsListener) Protocol() string { return "ws" }

// Address implements listeners.Listener: the path on the API endpoint.
func (l *wsListener) Address() string { return WebSocketPath }

// Init implements listeners.Listener.
func (l *wsListener) Init(log *slog.Logger) error {
	if log != nil {
		l.log = log
	}
	return nil
}

// Serve implements listeners.Listener: it keeps the broker's establish
// function for ServeHTTP.
func (l *wsListener) Serve(establish listeners.EstablishFn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.establish == nil {
		close(l.served)
	}
	l.establish = establish
}

// waitServed waits, at most timeout, for the broker to call Serve: mochi
// calls its listeners' Serve on goroutines of their own, and an upgrade
// that came first would be refused.
func (l *wsListener) waitServed(timeout time.Duration) bool {
	select {
	case <-l.served:
		return true
	case <-time.After(timeout):
		return false
	}
}

// Close implements listeners.Listener: later upgrades are refused, the
// listener's clients disconnected and its connections closed.
func (l *wsListener) Close(closeClients listeners.CloseFn) {
	l.mu.Lock()
	done := l.closed
	l.closed = true
	l.mu.Unlock()
	if done {
		return // see Service.closeListener: mochi's own path must not run
	}
	closeClients(l.ID())
	l.conns.closeAll()
}

// drain waits, at most timeout, for the connections handed to the broker
// to end (see mqttListener.drain).
func (l *wsListener) drain(timeout time.Duration) bool {
	return waitWithin(l.establishing.Wait, timeout)
}

// begin returns the broker's establish function and counts the request
// in establishing, or nil when the broker is not serving.
func (l *wsListener) begin() listeners.EstablishFn {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed || l.establish == nil {
		return nil
	}
	l.establishing.Add(1)
	return l.establish
}

// serve upgrades the request and serves MQTT on it until the
// connection ends; identity names the IAM principal that signed it.
func (l *wsListener) serve(w http.ResponseWriter, r *http.Request, identity string) {
	establish := l.begin()
	if establish == nil {
		http.Error(w, "the MQTT broker is not serving", http.StatusServiceUnavailable)
		return
	}
	defer l.establishing.Done()
	if l.conns.len() >= l.conns.max {
		l.refuse(r)
		http.Error(w, "too many MQTT connections", http.StatusServiceUnavailable)
		return
	}
	ws, err := l.upgrader.Upgrade(hijacker{w}, r, nil)
	if err != nil {
		l.log.Info("mqtt websocket upgrade refused", "remote", r.RemoteAddr, "error", err)
		return // the upgrader has answered
	}
	ws.SetReadLimit(wsMaxFrame)
	tracked, ok := l.conns.add(wsconn.New(ws))
	if !ok {
		l.refuse(r)
		_ = ws.Close()
		return
	}
	if l.refusing.Swap(false) {
		l.log.Info("mqtt connections below the limit again", "limit", l.conns.max)
	}
	_ = tracked.SetDeadline(time.Now().Add(l.connectTimeout))
	c := &iamConn{Conn: tracked, identity: identity}
	defer c.stopTTL()
	logEnd(l.log, c, establish(l.ID(), c))
}

func (l *wsListener) refuse(r *http.Request) {
	if !l.refusing.Swap(true) {
		l.log.Warn("mqtt connection limit reached: refusing new connections until some close",
			"limit", l.conns.max, "remote", r.RemoteAddr)
	}
}

// logEnd logs why a connection ended (see mqttListener.logEnd).
func logEnd(log *slog.Logger, c net.Conn, err error) {
	var ne net.Error
	switch {
	case err == nil:
	case errors.As(err, &ne) && ne.Timeout():
		log.Info("mqtt connection timed out", "remote", c.RemoteAddr().String(), "error", err)
	default:
		log.Warn("mqtt connection ended", "remote", c.RemoteAddr().String(), "error", err)
	}
}

// iamConn is an MQTT over WebSocket connection and the IAM identity that
// signed its upgrade request. The policy hook admits it as IAM (§7.3);
// ttl closes it after WebSocketMaxDuration.
type iamConn struct {
	net.Conn
	identity string
	mu       sync.Mutex
	ttl      clock.Timer
}

func (c *iamConn) setTTL(t clock.Timer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ttl = t
}

func (c *iamConn) stopTTL() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ttl != nil {
		c.ttl.Stop()
	}
}

// hijacker gives the upgrader http.Hijacker through wrappers that only
// offer Unwrap (awsapi's response tracking).
type hijacker struct{ http.ResponseWriter }

func (h hijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(h.ResponseWriter).Hijack()
}

// signerIdentity names who signed an upgrade request: the access key id
// of its presigned query or Authorization header, or "anonymous" when it
// is unsigned (accepted only by an emulator that checks no signatures).
// The router has verified the signature before the request gets here.
func signerIdentity(r *http.Request) string {
	cred := r.URL.Query().Get("X-Amz-Credential")
	if cred == "" {
		_, after, ok := strings.Cut(r.Header.Get("Authorization"), "Credential=")
		if !ok {
			return "anonymous"
		}
		cred = after
	}
	akid, _, _ := strings.Cut(cred, "/")
	if akid == "" {
		return "anonymous"
	}
	return akid
}

// expireWebSocket arms the WebSocket connection-duration limit of an
// admitted WebSocket client: after WebSocketMaxDuration on the service
// clock the client is disconnected (MQTT 5: DISCONNECT 0xA0, maximum
// connect time) with the lifecycle reason WEBSOCKET_TTL_EXPIRATION.
func (s *Service) expireWebSocket(cl *mqtt.Client) {
	ic, ok := cl.Net.Conn.(*iamConn)
	if !ok {
		return
	}
	ic.setTTL(s.cfg.Clock.AfterFunc(WebSocketMaxDuration, func() {
		if cl.Closed() {
			return
		}
		s.lifecycle.setReason(cl, reasonWebSocketTTL)
		s.log.Info("websocket connection reached its maximum duration", "client", cl.ID, "after", WebSocketMaxDuration)
		s.kick(cl, packets.ErrMaxConnectTime)
	}))
}

// serveWebSocket serves MQTT over WebSocket at WebSocketPath.
func (s *Service) serveWebSocket(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	l := s.wsListener
	s.mu.Unlock()
	if l == nil {
		http.Error(w, "the MQTT broker is not serving", http.StatusServiceUnavailable)
		return
	}
	l.serve(w, r, signerIdentity(r))
}
