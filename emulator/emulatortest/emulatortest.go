// Package emulatortest starts a whole stepwire emulator inside a Go test,
// the way net/http/httptest starts a server: loopback listeners on free
// ports, a throwaway data directory and CA, an optional fake clock, ready
// AWS SDK config and MQTT TLS configs, and cleanup when the test ends.
//
//	srv := emulatortest.New(t, emulatortest.WithTemplate("template.yaml"), emulatortest.WithFakeClock())
//	c := sfn.NewFromConfig(srv.AWSConfig())
//	tlsCfg := srv.ClientTLS("mqtt-container-client", "OnPremContainer")
package emulatortest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/stepwire/stepwire/emulator"
	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/store"
	"github.com/stepwire/stepwire/internal/clock"
)

// Server is a running emulator owned by a test.
type Server struct {
	*emulator.Emulator
	// Clock is the fake clock when WithFakeClock was given, else nil.
	Clock *clock.Fake
	t     testing.TB
	keys  []awsapi.Credential // WithCredentials
	cfg   emulator.Config     // what started the emulator, for Restart
	// closed is set while no emulator runs (a Restart that failed to
	// start the new one), so cleanup does not close the old one twice.
	closed bool
	state  *killableStore // the running emulator's state file (WithDurable)
}

type options struct {
	cfg  emulator.Config
	fake bool
}

// Option configures New.
type Option func(*options)

// WithTemplate loads a SAM template at start.
func WithTemplate(path string) Option { return func(o *options) { o.cfg.TemplatePath = path } }

// WithParameters overrides template parameters.
func WithParameters(p map[string]string) Option { return func(o *options) { o.cfg.Parameters = p } }

// WithLambdaMode sets emulator.Config.LambdaMode (LambdaInProcess or
// LambdaProcess).
func WithLambdaMode(mode string) Option { return func(o *options) { o.cfg.LambdaMode = mode } }

// WithDurable keeps the emulator's state in a state file in its data dir,
// as `stepwire up` does (emulator.Config.Durable); in memory by default.
func WithDurable() Option { return func(o *options) { o.cfg.Durable = true } }

// WithSync sets when a durable emulator's log reaches the disk
// (emulator.Config.Sync).
func WithSync(m store.SyncMode) Option { return func(o *options) { o.cfg.Sync = m } }

// WithMaxConnections caps concurrent MQTT connections at n
// (emulator.Config.MQTTMaxConnections; iotemu.DefaultMaxConnections by
// default), for tests that connect a fleet.
func WithMaxConnections(n int) Option { return func(o *options) { o.cfg.MQTTMaxConnections = n } }

// WithFakeClock drives every timer from a fake clock (Server.Clock),
// starting at a fixed instant, so tests skip waits without sleeping.
func WithFakeClock() Option { return func(o *options) { o.fake = true } }

// WithLogger sends the emulator's logs to l (discarded by default).
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.cfg.Logger = l } }

// WithCredentials turns on SigV4 signature checking with these keys;
// AWSConfig then signs with the first.
func WithCredentials(creds ...awsapi.Credential) Option {
	return func(o *options) { o.cfg.Credentials = creds }
}

// New starts an emulator and registers its shutdown with t.Cleanup.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	o := options{cfg: emulator.Config{Logger: slog.New(slog.DiscardHandler)}}
	for _, opt := range opts {
		opt(&o)
	}
	o.cfg.DataDir = t.TempDir()
	o.cfg.HTTPAddr, o.cfg.MQTTAddr = "127.0.0.1:0", "127.0.0.1:0"
	s := &Server{t: t, keys: o.cfg.Credentials}
	if o.fake {
		s.Clock = clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		o.cfg.Clock = s.Clock
	}
	if o.cfg.Durable {
		o.cfg.WrapStore = s.killable
	}
	s.cfg = o.cfg
	emu, err := start(o.cfg)
	if err != nil {
		t.Fatalf("emulatortest: %v", err)
	}
	s.Emulator = emu
	t.Cleanup(func() {
		if !s.closed {
			_ = s.Emulator.Close()
		}
		// testing keeps a test's cleanup functions, and this one holds s:
		// dropping the emulator lets a benchmark's next one start from a
		// clean heap.
		s.closed, s.Emulator = true, nil
	})
	return s
}

// start builds an emulator and makes it listen.
func start(cfg emulator.Config) (*emulator.Emulator, error) {
	emu, err := emulator.New(cfg)
	if err != nil {
		return nil, err
	}
	if err := emu.Start(context.Background()); err != nil {
		return nil, err
	}
	return emu, nil
}

// idleConnsPerHost is how many idle connections the HTTP client of
// AWSConfig keeps to the emulator: as many as the SDK's client keeps in
// all (its default keeps 10 for one host).
const idleConnsPerHost = 100

// AWSConfig is an AWS SDK config pointed at the emulator, with dummy
// credentials, or the first key of WithCredentials. Its HTTP client is the
// SDK's default one keeping up to idleConnsPerHost idle connections to the
// emulator, so that a test with many calls in flight reuses its
// connections instead of opening one for most calls; the clients made from
// one config share it.
func (s *Server) AWSConfig() aws.Config {
	ends := s.Endpoints()
	creds := credentials.NewStaticCredentialsProvider("test", "test", "")
	if keys := s.keys; len(keys) > 0 {
		creds = credentials.NewStaticCredentialsProvider(keys[0].AccessKeyID, keys[0].SecretAccessKey, keys[0].SessionToken)
	}
	return aws.Config{
		Region:       ends.Region,
		Credentials:  creds,
		BaseEndpoint: aws.String(ends.HTTP),
		HTTPClient: awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
			t.MaxIdleConnsPerHost = idleConnsPerHost
		}),
	}
}

// CAPool holds the emulator's CA, which signs the broker's certificate.
func (s *Server) CAPool() *x509.CertPool {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(s.IoT.CACertPEM()) {
		s.t.Fatal("emulatortest: bad CA certificate")
	}
	return pool
}

// ClientTLS issues an active certificate for thing with policy attached and
// returns a TLS config for an MQTT client that presents it.
func (s *Server) ClientTLS(thing, policy string) *tls.Config {
	s.t.Helper()
	certPEM, keyPEM, _, err := s.IoT.IssueCertificate(thing, policy)
	if err != nil {
		s.t.Fatalf("emulatortest: issue certificate: %v", err)
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		s.t.Fatalf("emulatortest: key pair: %v", err)
	}
	return &tls.Config{RootCAs: s.CAPool(), Certificates: []tls.Certificate{pair}, ServerName: "localhost", MinVersion: tls.VersionTLS12}
}

// MQTTURL is the broker's address as an mqtts:// URL.
func (s *Server) MQTTURL() string { return "mqtts://" + s.Endpoints().MQTT }
