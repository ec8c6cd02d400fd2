package iotemu

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/eclipse/paho.golang/packets"
	"github.com/eclipse/paho.golang/paho"
	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/emulator/iotemu/pki"
)

const (
	region  = "us-east-1"
	account = "123456789012"
)

// samplePolicy is the OnPremContainer policy of the AWS sample.
var samplePolicy = fmt.Sprintf(`{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"iot:Connect","Resource":"arn:aws:iot:%[1]s:%[2]s:client/mqtt-container-client"},
 {"Effect":"Allow","Action":"iot:Receive","Resource":"arn:aws:iot:%[1]s:%[2]s:topic/tenant1/to/worker"},
 {"Effect":"Allow","Action":"iot:Subscribe","Resource":"arn:aws:iot:%[1]s:%[2]s:topicfilter/tenant1/to/worker"},
 {"Effect":"Allow","Action":["iot:Publish","iot:RetainPublish"],"Resource":"arn:aws:iot:%[1]s:%[2]s:topic/tenant1/to/lambda"}]}`, region, account)

// tenantPolicy confines a thing to its own topics through
// ${iot:Connection.Thing.ThingName}, but lets it subscribe to any filter.
const tenantPolicy = `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"iot:Connect","Resource":"arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}",
  "Condition":{"Bool":{"iot:Connection.Thing.IsAttached":"true"}}},
 {"Effect":"Allow","Action":"iot:Subscribe","Resource":"arn:aws:iot:*:*:topicfilter/*"},
 {"Effect":"Allow","Action":"iot:Receive","Resource":"arn:aws:iot:*:*:topic/${iot:Connection.Thing.ThingName}/to/worker"},
 {"Effect":"Allow","Action":"iot:Publish","Resource":"arn:aws:iot:*:*:topic/${iot:Connection.Thing.ThingName}/to/lambda"}]}`

type invocation struct {
	function string
	payload  []byte
}

type execution struct {
	machine, name, input string
}

// startService starts a hermetic emulator; rule invocations go to the
// returned channel.
func startService(t *testing.T) (*Service, chan invocation) {
	t.Helper()
	s, invoked, _ := startServiceWithExecutions(t)
	return s, invoked
}

// startServiceWithExecutions also captures the stepFunctions action's
// StartExecution calls.
func startServiceWithExecutions(t *testing.T) (*Service, chan invocation, chan execution) {
	t.Helper()
	invoked := make(chan invocation, 16)
	started := make(chan execution, 16)
	s, err := New(Config{
		DataDir:  t.TempDir(),
		MQTTAddr: "127.0.0.1:0",
		Logger:   testLogger(t),
		InvokeAsync: func(_ context.Context, fn string, payload []byte) error {
			if fn == "failing" {
				return errors.New("function failed")
			}
			invoked <- invocation{fn, payload}
			return nil
		},
		StartExecution: func(_ context.Context, machine, name, input string) error {
			started <- execution{machine, name, input}
			return nil
		},
	})
	require.NoError(t, err)
	require.NoError(t, s.Start())
	t.Cleanup(func() { _ = s.Close() })
	return s, invoked, started
}

// startServiceWith starts a hermetic emulator whose Config edit adjusts
// (a fake clock, say).
func startServiceWith(t *testing.T, edit func(*Config)) *Service {
	t.Helper()
	cfg := Config{DataDir: t.TempDir(), MQTTAddr: "127.0.0.1:0", Logger: testLogger(t)}
	edit(&cfg)
	s, err := New(cfg)
	require.NoError(t, err)
	require.NoError(t, s.Start())
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// setupSample registers the sample's thing, policy and certificate.
func setupSample(t *testing.T, s *Service) *tls.Config {
	t.Helper()
	require.NoError(t, s.CreatePolicy("OnPremContainer", samplePolicy))
	require.NoError(t, s.CreateThing("mqtt-container-client", nil))
	certPEM, keyPEM, _, err := s.IssueCertificate("mqtt-container-client", "OnPremContainer")
	require.NoError(t, err)
	return clientTLS(t, s, certPEM, keyPEM)
}

func setupTenant2(t *testing.T, s *Service) *tls.Config {
	t.Helper()
	require.NoError(t, s.CreatePolicy("Tenant", tenantPolicy))
	require.NoError(t, s.CreateThing("tenant2", nil))
	certPEM, keyPEM, _, err := s.IssueCertificate("tenant2", "Tenant")
	require.NoError(t, err)
	return clientTLS(t, s, certPEM, keyPEM)
}

func clientTLS(t *testing.T, s *Service, certPEM, keyPEM []byte) *tls.Config {
	t.Helper()
	roots := x509.NewCertPool()
	require.True(t, roots.AppendCertsFromPEM(s.CACertPEM()))
	cfg := &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	if certPEM != nil {
		pair, err := tls.X509KeyPair(certPEM, keyPEM)
		require.NoError(t, err)
		cfg.Certificates = []tls.Certificate{pair}
	}
	return cfg
}

// foreignTLS is a client certificate from a CA the emulator never saw.
func foreignTLS(t *testing.T, s *Service) *tls.Config {
	t.Helper()
	other, err := pki.NewCA()
	require.NoError(t, err)
	iss, err := other.IssueClient("mqtt-container-client")
	require.NoError(t, err)
	return clientTLS(t, s, iss.CertPEM, iss.PrivateKeyPEM)
}

type mqttClient struct {
	*paho.Client
	received     chan *paho.Publish
	down         chan struct{}
	onDisconnect func(*paho.Disconnect)
}

type tlsCfg = tls.Config

// dial opens an MQTT 5 connection; it returns the CONNACK error if any.
func dial(t *testing.T, s *Service, cfg *tls.Config, clientID string) (*mqttClient, *paho.Connack, error) {
	t.Helper()
	return dialWith(t, s, cfg, &paho.Connect{ClientID: clientID, KeepAlive: 30, CleanStart: true})
}

// dialWith opens an MQTT 5 connection with the given CONNECT packet.
func dialWith(t *testing.T, s *Service, cfg *tls.Config, connect *paho.Connect) (*mqttClient, *paho.Connack, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := (&tls.Dialer{Config: cfg}).DialContext(ctx, "tcp", s.MQTTAddr())
	if err != nil {
		return nil, nil, err
	}
	return connectOn(ctx, t, packets.NewThreadSafeConn(conn), connect)
}

// connectOn runs an MQTT 5 client on conn, which must be safe for
// concurrent writes.
func connectOn(ctx context.Context, t *testing.T, conn net.Conn, connect *paho.Connect) (*mqttClient, *paho.Connack, error) {
	t.Helper()
	mc := &mqttClient{received: make(chan *paho.Publish, 64), down: make(chan struct{}, 1)}
	notify := func() {
		select {
		case mc.down <- struct{}{}:
		default:
		}
	}
	mc.Client = paho.NewClient(paho.ClientConfig{
		// paho writes a packet in several Writes and its pinger sends
		// PINGREQ at once: a bare tls.Conn would interleave the two.
		Conn: conn,
		OnPublishReceived: []func(paho.PublishReceived) (bool, error){func(pr paho.PublishReceived) (bool, error) {
			mc.received <- pr.Packet
			return true, nil
		}},
		OnServerDisconnect: func(d *paho.Disconnect) {
			if mc.onDisconnect != nil {
				mc.onDisconnect(d)
			}
			notify()
		},
		OnClientError: func(error) { notify() },
	})
	ack, err := mc.Connect(ctx, connect)
	if err != nil {
		_ = conn.Close()
		return nil, ack, err
	}
	t.Cleanup(func() { _ = mc.Disconnect(&paho.Disconnect{}) })
	return mc, ack, nil
}

func mustDial(t *testing.T, s *Service, cfg *tls.Config, clientID string) *mqttClient {
	t.Helper()
	mc, _, err := dial(t, s, cfg, clientID)
	require.NoError(t, err)
	return mc
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func subscribe(t *testing.T, mc *mqttClient, filter string) byte {
	t.Helper()
	ack, err := mc.Subscribe(ctxT(t), &paho.Subscribe{Subscriptions: []paho.SubscribeOptions{{Topic: filter, QoS: 1}}})
	require.NotNil(t, ack, "subscribe %s: %v", filter, err)
	return ack.Reasons[0]
}

func receive(t *testing.T, mc *mqttClient) *paho.Publish {
	t.Helper()
	select {
	case p := <-mc.received:
		return p
	case <-time.After(5 * time.Second):
		t.Fatal("no message received")
		return nil
	}
}

// rawDial opens a TLS connection for hand-encoded MQTT 3.1.1 packets.
func rawDial(t *testing.T, s *Service, cfg *tls.Config) net.Conn {
	t.Helper()
	conn, err := tls.Dial("tcp", s.MQTTAddr(), cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	require.NoError(t, conn.SetDeadline(time.Now().Add(5*time.Second)))
	return conn
}

// connect311 encodes an MQTT 3.1.1 CONNECT with a clean session.
func connect311(clientID string) []byte { return connect311Flags(clientID, 0x02) }

// connect311Flags encodes an MQTT 3.1.1 CONNECT with the given flags
// (0x02 clean session, 0 persistent).
func connect311Flags(clientID string, flags byte) []byte {
	body := []byte{0, 4, 'M', 'Q', 'T', 'T', 4, flags, 0, 30, byte(len(clientID) >> 8), byte(len(clientID))}
	body = append(body, clientID...)
	return append([]byte{0x10, byte(len(body))}, body...)
}

func sha256Hex(t *testing.T, certPEM []byte) string {
	t.Helper()
	b, _ := pem.Decode(certPEM)
	require.NotNil(t, b)
	return pki.CertificateID(b.Bytes)
}

// testLogger discards logs unless STEPWIRE_TEST_LOG is set.
func testLogger(t *testing.T) *slog.Logger {
	if os.Getenv("STEPWIRE_TEST_LOG") == "" {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(slog.NewTextHandler(tlogWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tlogWriter struct{ t *testing.T }

func (w tlogWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
