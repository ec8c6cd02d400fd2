// Package iotemu emulates the parts of AWS IoT Core that the
// Step Functions ↔ MQTT worker pattern uses: an MQTT broker (mochi) on TLS
// with client certificates issued by a local CA, a registry of
// certificates, things, policies and topic rules, IoT policy enforcement on
// CONNECT, SUBSCRIBE, PUBLISH and every delivery, topic rules that invoke
// Lambda functions, and the restJson HTTP APIs of the IoT control plane
// and data plane so the aws CLI and SDKs work unchanged.
//
// Only registered ACTIVE certificates complete the TLS handshake. The
// policy hook (hook.go) maps mochi's callbacks to the IoT actions; the
// data-plane Publish uses mochi's inline client and, as in AWS where it is
// authorized by IAM, bypasses IoT policies.
package iotemu

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/stepwire/stepwire/emulator/iotemu/pki"
	"github.com/stepwire/stepwire/emulator/store"
	"github.com/stepwire/stepwire/internal/arn"
	"github.com/stepwire/stepwire/internal/clock"
	"github.com/stepwire/stepwire/internal/gogroup"
	"github.com/stepwire/stepwire/internal/hop"
)

// Config configures a Service.
type Config struct {
	// DataDir keeps the local CA (ca.pem, ca.key), created on first start
	// and reused afterwards. Empty: an in-memory CA.
	DataDir string
	// MQTTAddr is the TLS MQTT listen address, e.g. "127.0.0.1:0".
	MQTTAddr string
	// Region and Account appear in ARNs; default arn.DefaultRegion and
	// arn.DefaultAccount.
	Region, Account string
	// Clock stamps resources and rule timestamps; default clock.Real.
	Clock clock.Clock
	// Logger receives decisions and hops; default slog.Default().
	Logger *slog.Logger
	// InvokeAsync runs a rule's Lambda action (an Event invocation).
	// function is the action's functionArn as configured in the rule.
	InvokeAsync func(ctx context.Context, function string, payload []byte) error
	// StartExecution runs a rule's stepFunctions action: it starts an
	// execution of the named state machine (a name, not an ARN, as the
	// action holds it) with the given execution name and JSON input.
	StartExecution func(ctx context.Context, stateMachineName, executionName, input string) error
	// ServerNames are extra DNS names or addresses the broker's certificate
	// covers, for clients that reach it by another name (a container's
	// service name, say).
	ServerNames []string
	// PersistentSessionExpiry is how long a disconnected MQTT 3.1.1
	// persistent session (clean session 0) keeps its subscriptions and
	// queued QoS 1 messages; default 1 h, IoT Core's account default
	// (docs/iot-core.md §3.2), at most 7 days. MQTT 5 clients choose their own
	// Session Expiry Interval, clamped to 7 days.
	PersistentSessionExpiry time.Duration
	// Throttle enforces IoT Core's per-connection rates on client
	// publishes, 100 PUBLISH/s and 512 KiB/s (docs/iot-core.md §3.9): excess
	// publishes are discarded, an MQTT 5 QoS 1 one answered PUBACK 0x97.
	// Off by default, as tests and benchmarks publish far faster.
	Throttle bool
	// ConnectTimeout is how long a new MQTT connection has to finish the
	// TLS handshake and send CONNECT before it is closed; default
	// DefaultConnectTimeout.
	ConnectTimeout time.Duration
	// RequireSNI refuses a TLS handshake whose ClientHello names no server
	// (no SNI), as IoT Core's MQTT page says it does (docs/iot-core.md
	// §8.4). Off by default: a Go client that dials an IP address, such as
	// the emulator's own 127.0.0.1 endpoint, cannot send SNI.
	RequireSNI bool
	// MaxConnections caps concurrent MQTT connections; further ones are
	// closed on accept (logged once each time the cap is reached).
	// Default DefaultMaxConnections.
	MaxConnections int
	// Store keeps the registry across restarts (docs/durability.md §4);
	// nil keeps it in memory only. The caller closes it after Close.
	Store store.Store
}

// Service is the IoT Core emulator.
type Service struct {
	cfg       Config
	log       *slog.Logger
	ca        *pki.CA
	reg       *registry
	broker    *mqtt.Server
	hook      *policyHook
	lifecycle *lifecycleHook
	sessions  *sessionHook
	// sessionStore keeps persistent sessions when Config.Store is set.
	sessionStore *sessionStoreHook
	retained     *retainedHook
	activity     activity // recent messages, decisions, rule runs (activity.go)
	mux          *http.ServeMux
	control      http.Handler   // mux, saving the registry after changes
	store        *store.Entries // the registry's; nil without Config.Store
	actions      gogroup.Group  // rule actions in flight

	mu         sync.Mutex
	listener   *mqttListener
	wsListener *wsListener
	started    bool
}

// New creates the service and loads or creates its CA. It does not listen.
func New(cfg Config) (*Service, error) {
	cfg.Region, cfg.Account = arn.Or(cfg.Region, cfg.Account)
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	cfg.Logger = hop.OrDefault(cfg.Logger)
	if cfg.PersistentSessionExpiry <= 0 {
		cfg.PersistentSessionExpiry = DefaultPersistentSessionExpiry
	}
	if cfg.MQTTAddr == "" {
		cfg.MQTTAddr = "127.0.0.1:8883"
	}
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = DefaultConnectTimeout
	}
	if cfg.MaxConnections <= 0 {
		cfg.MaxConnections = DefaultMaxConnections
	}
	ca, err := pki.LoadOrCreate(cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("iot service: %w", err)
	}
	s := &Service{cfg: cfg, log: cfg.Logger.With("service", "iot"), ca: ca, reg: newRegistry()}
	s.broker = mqtt.New(&mqtt.Options{
		InlineClient: true,
		Logger:       cfg.Logger.With("component", "mqtt"),
		Capabilities: capabilities(),
	})
	if err := s.broker.AddHook(&limitsHook{s: s}, nil); err != nil {
		return nil, fmt.Errorf("iot service: add limits hook: %w", err)
	}
	s.sessions = newSessionHook(s)
	if err := s.broker.AddHook(s.sessions, nil); err != nil {
		return nil, fmt.Errorf("iot service: add session hook: %w", err)
	}
	s.hook = &policyHook{s: s}
	if err := s.broker.AddHook(s.hook, nil); err != nil {
		return nil, fmt.Errorf("iot service: add policy hook: %w", err)
	}
	if cfg.Throttle {
		if err := s.broker.AddHook(&throttleHook{s: s}, nil); err != nil {
			return nil, fmt.Errorf("iot service: add throttle hook: %w", err)
		}
	}
	s.lifecycle = newLifecycleHook(s)
	if err := s.broker.AddHook(s.lifecycle, nil); err != nil {
		return nil, fmt.Errorf("iot service: add lifecycle hook: %w", err)
	}
	s.retained = &retainedHook{s: s}
	if err := s.broker.AddHook(s.retained, nil); err != nil {
		return nil, fmt.Errorf("iot service: add retained hook: %w", err)
	}
	if cfg.Store != nil {
		if err := s.broker.AddHook(&retainedStoreHook{s: s, st: cfg.Store}, nil); err != nil {
			return nil, fmt.Errorf("iot service: add retained store hook: %w", err)
		}
		s.sessionStore = newSessionStoreHook(s, cfg.Store)
		if err := s.broker.AddHook(s.sessionStore, nil); err != nil {
			return nil, fmt.Errorf("iot service: add session store hook: %w", err)
		}
	}
	topics := &topicHook{s: s}
	if err := s.broker.AddHook(topics, nil); err != nil {
		return nil, fmt.Errorf("iot service: add topic hook: %w", err)
	}
	topics.installSelector()
	if err := s.broker.AddHook(&rulesHook{s: s}, nil); err != nil {
		return nil, fmt.Errorf("iot service: add rules hook: %w", err)
	}
	if err := s.broker.AddHook(&activityHook{s: s}, nil); err != nil {
		return nil, fmt.Errorf("iot service: add activity hook: %w", err)
	}
	s.mux = s.routes()
	if cfg.Store != nil {
		s.store = store.NewEntries(cfg.Store, registryBucket)
	}
	s.control = s.controlPlane()
	if err := s.loadRegistry(); err != nil {
		return nil, fmt.Errorf("iot service: %w", err)
	}
	return s, nil
}

// capabilities are IoT Core's advertised limits (docs/iot-core.md §3.1, §6.2).
func capabilities() *mqtt.Capabilities {
	c := mqtt.NewDefaultServerCapabilities()
	c.MaximumQos = 1
	c.SubIDAvailable = 0
	c.TopicAliasMaximum = 8
	// Room for the topic and properties of a PUBLISH whose payload is
	// at the 128 KiB limit; limitsHook checks the payload itself.
	c.MaximumPacketSize = maxPayload + 4096
	c.MaximumSessionExpiryInterval = uint32(maxSessionExpiry / time.Second)
	c.MaximumMessageExpiryInterval = 604800
	c.ReceiveMaximum = 100
	// Each connection's queue of packets waiting for its socket is a
	// buffered channel of this many pointers, allocated in full at
	// connect and scanned by every GC: mochi's 8192 cost 64 KiB a
	// connection, 64 MB for a fleet of 1,000 (docs/performance.md, "Flat
	// cost as work grows"). The write loop drains it as fast as the
	// client reads, and QoS 1 beyond the client's Receive Maximum waits
	// in the inflight store instead, so 1,024 leaves room for bursts
	// far above IoT Core's 100 publishes/s a connection.
	c.MaximumClientWritesPending = maxClientWritesPending
	return c
}

// maxClientWritesPending bounds a connection's queue of packets to write.
const maxClientWritesPending = 1024

// Start listens on MQTTAddr with TLS and serves MQTT.
func (s *Service) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started {
		return errors.New("iot service: already started")
	}
	tlsCfg, err := s.serverTLS()
	if err != nil {
		return fmt.Errorf("iot service: %w", err)
	}
	l := newMQTTListener("mqtts", s.cfg.MQTTAddr, tlsCfg, s.cfg.ConnectTimeout, s.cfg.MaxConnections)
	if err := s.broker.AddListener(l); err != nil {
		return fmt.Errorf("iot service: listen on %s: %w", s.cfg.MQTTAddr, err)
	}
	ws := newWSListener(l.conns, s.cfg.ConnectTimeout) // one cap for both
	if err := s.broker.AddListener(ws); err != nil {
		return fmt.Errorf("iot service: websocket listener: %w", err)
	}
	if err := s.broker.Serve(); err != nil {
		return fmt.Errorf("iot service: serve mqtt: %w", err)
	}
	if !ws.waitServed(10 * time.Second) {
		return errors.New("iot service: the broker did not start its websocket listener")
	}
	s.listener, s.wsListener, s.started = l, ws, true
	s.log.Info("mqtt broker listening", "addr", l.Address())
	return nil
}

// Close stops the broker and waits for rule actions in flight. Closing
// twice is harmless.
func (s *Service) Close() error {
	if !s.actions.Close() {
		return nil
	}
	s.closeListener()
	err := s.broker.Close()
	s.actions.Wait()
	s.sessions.stopTimers()
	if err != nil {
		return fmt.Errorf("iot service: close: %w", err)
	}
	return nil
}

// closeListener stops accepting connections and disconnects the listener's
// clients before the broker closes. mochi's own path for this
// (Server.Close → closeListenerClients → Clients.GetByListener) takes the
// clients' read lock twice, which deadlocks when a connection is being
// torn down at the same moment; once the listener is closed here, the
// broker's Close no longer takes that path.
//
// The WebSocket listener is closed the same way: its connections came
// through the AWS API endpoint, whose Shutdown leaves upgraded
// connections alone.
func (s *Service) closeListener() {
	s.mu.Lock()
	l, ws := s.listener, s.wsListener
	s.mu.Unlock()
	if l == nil {
		return
	}
	disconnect := func(id string) {
		for _, cl := range s.broker.Clients.GetAll() {
			if cl.Net.Listener == id && !cl.Closed() {
				_ = s.broker.DisconnectClient(cl, packets.ErrServerShuttingDown)
			}
		}
	}
	s.broker.Listeners.Close(ws.ID(), disconnect)
	s.broker.Listeners.Close(l.ID(), disconnect)
	deadline := time.Now().Add(listenerDrain)
	if !ws.drain(listenerDrain) || !l.drain(time.Until(deadline)) {
		s.log.Warn("mqtt connections still open at shutdown", "waited", listenerDrain)
	}
}

// listenerDrain bounds how long Close waits for the listener's
// connections to end before it closes the broker.
const listenerDrain = 2 * time.Second

// MQTTAddr returns the listener's actual host:port ("" before Start).
func (s *Service) MQTTAddr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.listener == nil {
		return ""
	}
	return s.listener.Address()
}

// CACertPEM returns the emulator CA: clients trust it for the server
// certificate, and it signs the client certificates.
func (s *Service) CACertPEM() []byte { return s.ca.CertPEM }

// Handler returns the restJson routes of the IoT control and data planes.
// Requests naming a topic or a client id in the path bypass the mux,
// whose path cleaning would rewrite topics with empty levels.
func (s *Service) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/topics/"):
			s.handlePublish(w, r)
			return
		case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/retainedMessage/"):
			s.handleGetRetainedMessage(w, r)
			return
		case r.Method == http.MethodDelete && strings.HasPrefix(r.URL.Path, "/connections/"):
			s.handleDeleteConnection(w, r)
			return
		case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/connections/"):
			s.handleConnectionQuery(w, r)
			return
		case r.URL.Path == WebSocketPath:
			s.serveWebSocket(w, r)
			return
		}
		s.control.ServeHTTP(w, r)
	})
}

// hosts lists the names the server certificate covers.
func (s *Service) hosts() []string {
	hosts := []string{"localhost", "127.0.0.1", "::1"}
	if h, _, err := net.SplitHostPort(s.cfg.MQTTAddr); err == nil && h != "" {
		if ip := net.ParseIP(h); ip == nil || !ip.IsUnspecified() {
			hosts = append(hosts, h)
		}
	}
	return append(hosts, s.cfg.ServerNames...)
}
