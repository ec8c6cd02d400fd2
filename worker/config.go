package worker

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"math"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/stepwire/stepwire/internal/clock"
	"github.com/stepwire/stepwire/internal/jobwire"
)

// Defaults applied by Run to zero Config fields.
const (
	DefaultPort            = "8883"
	DefaultKeepAlive       = 30   // seconds
	DefaultSessionExpiry   = 3600 // seconds; IoT Core's default account maximum
	DefaultShutdownTimeout = 10 * time.Second
	DefaultPublishTimeout  = 30 * time.Second
	DefaultDrainTimeout    = 30 * time.Second
	DefaultMaxConcurrent   = 16
	DefaultDedupCapacity   = 10_000
)

// Config configures a worker. The fields mirror the sample worker's
// environment variables (see EnvConfig).
type Config struct {
	// Endpoint is the MQTT broker: "host", "host:port" (port 8883 by
	// default) or "mqtts://host:port".
	Endpoint string
	// CAFile is the PEM file of the CAs that sign the broker's certificate.
	CAFile string
	// CertFile and KeyFile are the worker's PEM client certificate and key.
	CertFile, KeyFile string
	// ClientID is the MQTT client ID (on IoT Core, usually the thing name).
	ClientID string
	// SubscribeTopic is where jobs arrive; cancel messages arrive on
	// jobwire.ControlTopic(SubscribeTopic), SubscribeTopic + "/control".
	SubscribeTopic string
	// SubmitTopic is where results, failures and heartbeats go.
	SubmitTopic string
	// ShareGroup, when set, subscribes to the job topic as the MQTT shared
	// subscription $share/<ShareGroup>/<SubscribeTopic>: the workers of one
	// group (each with its own client ID) split the jobs, each job going to
	// one of them, as IoT Core and the emulator deliver shared
	// subscriptions. Cancel messages stay unshared: every worker gets them.
	// The policy must allow iot:Subscribe on
	// topicfilter/$share/<ShareGroup>/<SubscribeTopic>.
	ShareGroup string
	// HealthFile, when set, is where the worker writes its state (see
	// health.go) for `stepwire-worker health`, a container's health check.
	HealthFile string

	// TLSConfig, when set, replaces CAFile, CertFile and KeyFile; the worker
	// fills in ServerName from Endpoint if it is empty.
	TLSConfig *tls.Config
	// KeepAlive is the MQTT keep-alive in seconds (0: DefaultKeepAlive).
	KeepAlive uint16
	// SessionExpiry is the MQTT session expiry in seconds, so jobs queued
	// while the worker is offline survive (0: DefaultSessionExpiry).
	SessionExpiry uint32
	// ShutdownTimeout bounds how long Run waits, once it has cancelled the
	// running jobs, for them to stop and report (0: default).
	ShutdownTimeout time.Duration
	// DrainTimeout bounds how long a drain (see Worker.Drain) lets running
	// jobs finish before it cancels them (0: DefaultDrainTimeout).
	DrainTimeout time.Duration
	// MaxConcurrent is how many jobs run at once (0: DefaultMaxConcurrent).
	// Jobs past it wait, unacknowledged, for a slot; see admission.go.
	MaxConcurrent int
	// DedupCapacity is how many recent jobs the worker remembers to run a
	// redelivered job once (0: DefaultDedupCapacity).
	DedupCapacity int
	// PublishTimeout bounds how long one result waits for the connection and
	// its PUBACK (0: default).
	PublishTimeout time.Duration
	// Clock arms the worker's waits on time: heartbeats, ShutdownTimeout,
	// DrainTimeout, the sleep job and the pauses between reconnect attempts (nil: clock.Real). A
	// clock.Fake runs the worker on virtual time; the timeouts that bound
	// network I/O (connect, subscribe, PublishTimeout, disconnect) stay on
	// the wall clock.
	Clock clock.Clock
	// OnReady, if set, is called each time the worker is connected and
	// subscribed to its job topic.
	OnReady func()
	// NoHeartbeats stops the worker from heartbeating the jobs that ask
	// for heartbeats (heartbeatSeconds): their tasks time out
	// HeartbeatSeconds after dispatch unless the job ends or reports
	// progress first. Off by default; it is for tests of a worker that
	// goes quiet. StopHeartbeats does the same for one job.
	NoHeartbeats bool

	// Report is how outcomes go back: ReportMQTT ("" too) or ReportDirect,
	// configured by Direct (report.go, direct.go).
	Report string
	Direct DirectConfig
	// Database is the DSN of the database of sql jobs (package
	// worker/sqljob): postgres:// or postgresql:// for PostgreSQL, else a
	// SQLite file path or file: URI. The worker does not open it; whoever
	// builds the handler does (cmd/stepwire-worker).
	Database string
}

// EnvConfig reads the sample worker's environment variables: ENDPOINT,
// CA_FILE, DEVICE_CERT, PRIVATE_KEY, CLIENT_ID, SUBSCRIBE_TOPIC and
// SUBMIT_TOPIC, and DATABASE_URL for sql jobs. It does not validate; see
// Validate.
func EnvConfig(getenv func(string) string) Config {
	return Config{
		Endpoint:       getenv("ENDPOINT"),
		CAFile:         getenv("CA_FILE"),
		CertFile:       getenv("DEVICE_CERT"),
		KeyFile:        getenv("PRIVATE_KEY"),
		ClientID:       getenv("CLIENT_ID"),
		SubscribeTopic: getenv("SUBSCRIBE_TOPIC"),
		SubmitTopic:    getenv("SUBMIT_TOPIC"),
		ShareGroup:     getenv("SHARE_GROUP"),
		HealthFile:     getenv("HEALTH_FILE"),
		Report:         getenv("REPORT"),
		Direct:         directFromEnv(getenv),
		Database:       getenv("DATABASE_URL"),
	}
}

// ConfigFromEnv reads the process environment with EnvConfig and validates it.
func ConfigFromEnv() (Config, error) {
	cfg := EnvConfig(os.Getenv)
	return cfg, cfg.Validate()
}

// RegisterFlags binds the configuration to flags on fs, using the current
// values as defaults, so flags parsed later override the environment.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.Endpoint, "endpoint", c.Endpoint, "MQTT endpoint: host, host:port or mqtts://host:port (env ENDPOINT)")
	fs.StringVar(&c.CAFile, "ca-file", c.CAFile, "PEM file of the broker's CA (env CA_FILE)")
	fs.StringVar(&c.CertFile, "cert", c.CertFile, "PEM client certificate (env DEVICE_CERT)")
	fs.StringVar(&c.KeyFile, "key", c.KeyFile, "PEM private key of the client certificate (env PRIVATE_KEY)")
	fs.StringVar(&c.ClientID, "client-id", c.ClientID, "MQTT client ID, usually the thing name (env CLIENT_ID)")
	fs.StringVar(&c.SubscribeTopic, "subscribe-topic", c.SubscribeTopic, "topic the jobs arrive on (env SUBSCRIBE_TOPIC)")
	fs.StringVar(&c.SubmitTopic, "submit-topic", c.SubmitTopic, "topic results are published to (env SUBMIT_TOPIC)")
	fs.StringVar(&c.ShareGroup, "share-group", c.ShareGroup,
		"subscribe to jobs as $share/GROUP/<subscribe-topic>, so the workers of a group split them (env SHARE_GROUP)")
	fs.StringVar(&c.HealthFile, "health-file", c.HealthFile, "file the worker keeps its state in, for `stepwire-worker health` (env HEALTH_FILE)")
	fs.DurationVar(&c.DrainTimeout, "drain-timeout", c.DrainTimeout,
		"on the first SIGTERM, how long running jobs may finish before they fail with Worker.ShuttingDown (0: 30s)")
	fs.IntVar(&c.MaxConcurrent, "max-concurrent", c.MaxConcurrent, "jobs that run at once; later ones wait unacknowledged (0: 16)")
	fs.StringVar(&c.Database, "database", c.Database,
		"database of sql jobs: postgres://... for PostgreSQL, else a SQLite file, opened read-only (env DATABASE_URL)")
	fs.Var(secondsFlag{&c.SessionExpiry}, "session-expiry",
		"how long the broker keeps the session, and the jobs queued for it, while the worker is offline (0: 1h)")
	registerReportFlags(fs, c)
}

// secondsFlag reads a duration into a count of whole seconds.
type secondsFlag struct{ p *uint32 }

func (f secondsFlag) String() string {
	if f.p == nil {
		return "0s"
	}
	return (time.Duration(*f.p) * time.Second).String()
}

func (f secondsFlag) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	if d < 0 || d > math.MaxUint32*time.Second {
		return fmt.Errorf("%v is out of range", d)
	}
	*f.p = uint32(d / time.Second)
	return nil
}

// Validate reports every missing or malformed setting in one error.
func (c Config) Validate() error {
	var errs []error
	need := func(v, name, env, flag string) {
		if v == "" {
			errs = append(errs, fmt.Errorf("%s is not set (env %s or --%s)", name, env, flag))
		}
	}
	need(c.Endpoint, "endpoint", "ENDPOINT", "endpoint")
	if c.TLSConfig == nil {
		need(c.CAFile, "CA file", "CA_FILE", "ca-file")
		need(c.CertFile, "client certificate", "DEVICE_CERT", "cert")
		need(c.KeyFile, "private key", "PRIVATE_KEY", "key")
	}
	need(c.ClientID, "client ID", "CLIENT_ID", "client-id")
	need(c.SubscribeTopic, "subscribe topic", "SUBSCRIBE_TOPIC", "subscribe-topic")
	if c.Report != ReportDirect {
		need(c.SubmitTopic, "submit topic", "SUBMIT_TOPIC", "submit-topic")
	}
	errs = append(errs, c.validateReport()...)
	if err := validateShareGroup(c.ShareGroup); err != nil {
		errs = append(errs, err)
	}
	if c.MaxConcurrent < 0 || c.DedupCapacity < 0 || c.DrainTimeout < 0 {
		errs = append(errs, errors.New("max concurrent jobs, dedup capacity and drain timeout must not be negative"))
	}
	if c.Endpoint != "" {
		if _, err := ParseEndpoint(c.Endpoint); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("worker config: %w", err)
	}
	return nil
}

// ControlTopic is the topic cancel messages arrive on.
func (c Config) ControlTopic() string { return jobwire.ControlTopic(c.SubscribeTopic) }

// JobFilter is the filter the worker subscribes to for jobs: SubscribeTopic,
// or the shared subscription $share/<ShareGroup>/<SubscribeTopic>.
func (c Config) JobFilter() string {
	if c.ShareGroup == "" {
		return c.SubscribeTopic
	}
	return "$share/" + c.ShareGroup + "/" + c.SubscribeTopic
}

// maxShareGroup is IoT Core's limit on a share name (docs/iot-core.md §3.5).
const maxShareGroup = 128

// validateShareGroup checks a share name as IoT Core does: at most 128
// characters, none of them / + or #.
func validateShareGroup(g string) error {
	if len(g) > maxShareGroup {
		return fmt.Errorf("share group has %d characters, more than %d", len(g), maxShareGroup)
	}
	if strings.ContainsAny(g, "/+#") {
		return fmt.Errorf("share group %q must not contain /, + or #", g)
	}
	return nil
}

// ParseEndpoint turns "host", "host:port" or "mqtts://host:port" into an
// mqtts URL with an explicit port.
func ParseEndpoint(s string) (*url.URL, error) {
	hostport := s
	if i := strings.Index(s, "://"); i >= 0 {
		u, err := url.Parse(s)
		if err != nil {
			return nil, fmt.Errorf("endpoint %q: %w", s, err)
		}
		switch strings.ToLower(u.Scheme) {
		case "mqtts", "tls", "ssl":
		default:
			return nil, fmt.Errorf("endpoint %q: scheme %q is not supported (use mqtts; the broker requires TLS)", s, u.Scheme)
		}
		hostport = u.Host
	}
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		host, port = strings.Trim(hostport, "[]"), DefaultPort
	}
	if host == "" {
		return nil, fmt.Errorf("endpoint %q has no host", s)
	}
	return &url.URL{Scheme: "mqtts", Host: net.JoinHostPort(host, port)}, nil
}

// tlsConfig returns the TLS configuration for endpoint u: Config.TLSConfig
// or one loaded from the configured files, with ServerName set for SNI.
func (c Config) tlsConfig(u *url.URL) (*tls.Config, error) {
	var cfg *tls.Config
	if c.TLSConfig != nil {
		cfg = c.TLSConfig.Clone()
	} else {
		var err error
		if cfg, err = loadTLS(c.CAFile, c.CertFile, c.KeyFile); err != nil {
			return nil, err
		}
	}
	if cfg.ServerName == "" {
		cfg.ServerName = u.Hostname()
	}
	return cfg, nil
}

func loadTLS(caFile, certFile, keyFile string) (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("load client certificate: %w", err)
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("read CA file: %w", err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("CA file %s holds no PEM certificate", caFile)
	}
	return &tls.Config{
		Certificates: []tls.Certificate{cert},
		RootCAs:      roots,
		MinVersion:   tls.VersionTLS12,
	}, nil
}

func (c Config) withDefaults() Config {
	if c.KeepAlive == 0 {
		c.KeepAlive = DefaultKeepAlive
	}
	if c.SessionExpiry == 0 {
		c.SessionExpiry = DefaultSessionExpiry
	}
	if c.ShutdownTimeout == 0 {
		c.ShutdownTimeout = DefaultShutdownTimeout
	}
	if c.DrainTimeout == 0 {
		c.DrainTimeout = DefaultDrainTimeout
	}
	if c.MaxConcurrent == 0 {
		c.MaxConcurrent = DefaultMaxConcurrent
	}
	if c.DedupCapacity == 0 {
		c.DedupCapacity = DefaultDedupCapacity
	}
	if c.PublishTimeout == 0 {
		c.PublishTimeout = DefaultPublishTimeout
	}
	if c.Clock == nil {
		c.Clock = clock.Real{}
	}
	return c
}
