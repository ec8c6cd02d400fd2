// Package console is stepwire's web console, served by the emulator at
// /console/ on its HTTP endpoint: the state machines, their executions
// drawn on their graphs with the event history and the task waiting on a
// token, and the IoT Core side (connected clients, messages with the
// policy decision on each delivery, rule invocations, certificates).
//
// Pages are rendered on the server, written with a small escaping writer
// (html.go) rather than html/template, whose reflection would keep every
// exported method in the emulator's binary; the CSS and the JavaScript
// are small, hand-written and embedded. Every page works without
// JavaScript; with it, a page subscribes to /console/events (server-sent
// events) and re-renders itself when what it shows changes.
// The page fetches nothing from the network besides its own origin.
//
// Security: the emulator puts the console behind the API's Host and
// Origin rules (a same-origin request passes); with credentials it asks
// for an access key and secret once and keeps a signed cookie; every
// POST carries a CSRF token. Private keys are never shown.
package console

import (
	"crypto/rand"
	"embed"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/iotemu"
	"github.com/stepwire/stepwire/emulator/sfnemu"
	"github.com/stepwire/stepwire/internal/clock"
)

// Prefix is where the console is served.
const Prefix = "/console/"

// Config configures a Console.
type Config struct {
	SFN *sfnemu.Service
	IoT *iotemu.Service
	// Credentials, when not empty, make the console ask for one of these
	// access keys (its id and secret) before showing anything.
	Credentials []awsapi.Credential
	// Clock tells "since" and countdowns; clock.Real by default.
	Clock clock.Clock
	// Logger receives refused logins; slog.Default() when nil.
	Logger *slog.Logger
	// MaxStreams caps concurrent live-update streams (DefaultMaxStreams
	// when zero); more are answered 503.
	MaxStreams int
	// PollInterval is how often a live-update stream looks for changes
	// (DefaultPollInterval when zero).
	PollInterval time.Duration
}

// Defaults of Config.
const (
	DefaultMaxStreams   = 32
	DefaultPollInterval = 250 * time.Millisecond
)

//go:embed static
var staticFS embed.FS

// Console serves the web console.
type Console struct {
	cfg     Config
	log     *slog.Logger
	secret  []byte // signs session cookies and CSRF tokens
	mux     *http.ServeMux
	streams chan struct{} // a slot per live-update stream

	mu     sync.Mutex
	closed chan struct{}
}

// New builds a console over the services.
func New(cfg Config) *Console {
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.MaxStreams <= 0 {
		cfg.MaxStreams = DefaultMaxStreams
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	c := &Console{cfg: cfg, log: cfg.Logger, secret: make([]byte, 32),
		streams: make(chan struct{}, cfg.MaxStreams), closed: make(chan struct{})}
	if c.log == nil {
		c.log = slog.Default()
	}
	_, _ = rand.Read(c.secret)
	c.mux = c.routes()
	return c
}

// Handler serves the console under Prefix.
func (c *Console) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin") // no-referrer would make form posts send "Origin: null"
		c.mux.ServeHTTP(w, r)
	})
}

// Close ends the live-update streams.
func (c *Console) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	select {
	case <-c.closed:
	default:
		close(c.closed)
	}
}

func (c *Console) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("GET /console/static/", http.StripPrefix("/console/", http.FileServerFS(staticFS)))
	mux.HandleFunc("GET /console/login", c.loginPage)
	mux.HandleFunc("POST /console/login", c.login)
	mux.HandleFunc("POST /console/logout", c.logout)
	page := func(pattern string, h http.HandlerFunc) { mux.Handle(pattern, c.authed(h)) }
	page("GET /console/{$}", c.machinesPage)
	page("GET /console/executions", c.executionsPage)
	page("GET /console/execution", c.executionPage)
	page("POST /console/start", c.checkCSRF(c.start))
	page("POST /console/stop", c.checkCSRF(c.stop))
	page("GET /console/iot/clients", c.clientsPage)
	page("GET /console/iot/messages", c.messagesPage)
	page("GET /console/iot/rules", c.rulesPage)
	page("GET /console/iot/certificates", c.certificatesPage)
	page("POST /console/iot/certificates", c.checkCSRF(c.setCertificate))
	page("GET /console/events", c.events)
	return mux
}
