// Package iotws connects to AWS IoT Core, or to stepwire's emulation of
// it, with MQTT 5 over WebSocket authenticated by the caller's AWS
// credentials: every connection attempt dials wss://<endpoint>/mqtt (ws://
// for a plain-HTTP emulator) with a freshly SigV4-presigned URL, so
// credentials that refresh keep working across reconnects
// (docs/iot-core.md §7).
//
// The same code runs against both: pass the emulator's AWS endpoint
// (http://127.0.0.1:4566) or the account's IoT data endpoint
// (https://xxxx-ats.iot.us-east-1.amazonaws.com, see DataEndpoint).
//
//	cm, err := iotws.Connect(ctx, iotws.Config{
//		Endpoint: "http://127.0.0.1:4566", Region: "us-east-1", Credentials: awsCfg.Credentials,
//		ClientID: "progress-1234",
//		OnConnectionUp: func(cm *autopaho.ConnectionManager, _ *paho.Connack) {
//			_, _ = cm.Subscribe(ctx, &paho.Subscribe{Subscriptions: []paho.SubscribeOptions{{Topic: "progress/#", QoS: 1}}})
//		},
//		OnPublish: func(pr paho.PublishReceived) (bool, error) { ...; return true, nil },
//	})
package iotws

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/eclipse/paho.golang/autopaho"
	"github.com/eclipse/paho.golang/paho"
	"github.com/gorilla/websocket"

	"github.com/stepwire/stepwire/internal/wsconn"
)

// SigningName is the SigV4 service name of MQTT over WebSocket, the one
// AWS IoT's device SDKs presign with.
const SigningName = "iotdevicegateway"

// emptySHA256 is the payload hash of the bodiless upgrade request.
const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// Defaults of Config.
const (
	DefaultKeepAlive      = 30 // seconds, IoT Core's minimum
	DefaultConnectTimeout = 10 * time.Second
)

// Config says where and as whom to connect.
type Config struct {
	// Endpoint is the emulator's AWS endpoint (http://host:port) or the
	// IoT data endpoint (https://xxxx-ats.iot.REGION.amazonaws.com). ws://
	// and wss:// URLs are taken as they are. The path defaults to /mqtt.
	Endpoint string
	// Region is the SigV4 signing region.
	Region string
	// Credentials sign each connection attempt.
	Credentials aws.CredentialsProvider
	// ClientID is the MQTT client id: unique per connection (IoT Core
	// disconnects the older of two connections with the same id).
	ClientID string
	// TLS configures wss:// connections (a private CA, say); nil uses
	// the system roots.
	TLS *tls.Config
	// KeepAlive in seconds; DefaultKeepAlive when zero.
	KeepAlive uint16
	// ConnectTimeout bounds each attempt (dial, upgrade, CONNACK);
	// DefaultConnectTimeout when zero.
	ConnectTimeout time.Duration
	// OnConnectionUp runs after every (re)connection; subscribe there, as
	// subscriptions of a clean session do not survive a reconnect.
	OnConnectionUp func(*autopaho.ConnectionManager, *paho.Connack)
	// OnPublish receives the messages; see paho.PublishReceived.
	OnPublish func(paho.PublishReceived) (bool, error)
	// OnConnectError is told why an attempt failed (optional).
	OnConnectError func(error)
	// Now is the signing clock; time.Now when nil.
	Now func() time.Time
}

// ClientConfig returns the autopaho configuration for cfg: MQTT 5 over
// WebSocket, a clean session, and an AttemptConnection that presigns the
// URL on every attempt. Adjust it (SessionExpiryInterval, Queue, logs)
// before autopaho.NewConnection.
func ClientConfig(cfg Config) (autopaho.ClientConfig, error) {
	u, err := WebSocketURL(cfg.Endpoint)
	if err != nil {
		return autopaho.ClientConfig{}, err
	}
	switch {
	case cfg.Region == "":
		return autopaho.ClientConfig{}, errors.New("iotws: a region is required")
	case cfg.Credentials == nil:
		return autopaho.ClientConfig{}, errors.New("iotws: credentials are required")
	case cfg.ClientID == "":
		return autopaho.ClientConfig{}, errors.New("iotws: a client id is required")
	}
	if cfg.KeepAlive == 0 {
		cfg.KeepAlive = DefaultKeepAlive
	}
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = DefaultConnectTimeout
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cc := autopaho.ClientConfig{
		ServerUrls:                    []*url.URL{u},
		TlsCfg:                        cfg.TLS,
		KeepAlive:                     cfg.KeepAlive,
		CleanStartOnInitialConnection: true,
		ConnectTimeout:                cfg.ConnectTimeout,
		OnConnectionUp:                cfg.OnConnectionUp,
		OnConnectError:                cfg.OnConnectError,
		AttemptConnection: func(ctx context.Context, _ autopaho.ClientConfig, u *url.URL) (net.Conn, error) {
			return dial(ctx, cfg, u)
		},
		ClientConfig: paho.ClientConfig{ClientID: cfg.ClientID},
	}
	if cfg.OnPublish != nil {
		cc.OnPublishReceived = []func(paho.PublishReceived) (bool, error){cfg.OnPublish}
	}
	return cc, nil
}

// Connect starts an autopaho connection manager for cfg and waits, until
// ctx is done, for its first connection. The manager reconnects on its
// own until ctx is cancelled or Disconnect is called.
func Connect(ctx context.Context, cfg Config) (*autopaho.ConnectionManager, error) {
	cc, err := ClientConfig(cfg)
	if err != nil {
		return nil, err
	}
	cm, err := autopaho.NewConnection(ctx, cc)
	if err != nil {
		return nil, fmt.Errorf("iotws: %w", err)
	}
	if err := cm.AwaitConnection(ctx); err != nil {
		return nil, fmt.Errorf("iotws: connect to %s: %w", cc.ServerUrls[0].Redacted(), err)
	}
	return cm, nil
}

// WebSocketURL maps an endpoint to its MQTT over WebSocket URL: http → ws,
// https → wss, a bare host name → wss, and the path /mqtt when it has none.
func WebSocketURL(endpoint string) (*url.URL, error) {
	if endpoint == "" {
		return nil, errors.New("iotws: an endpoint is required")
	}
	if !strings.Contains(endpoint, "://") {
		endpoint = "wss://" + endpoint // describe-endpoint's bare host name
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return nil, fmt.Errorf("iotws: endpoint %q: %w", endpoint, err)
	}
	switch u.Scheme {
	case "http":
		u.Scheme = "ws"
	case "https":
		u.Scheme = "wss"
	case "ws", "wss":
	default:
		return nil, fmt.Errorf("iotws: endpoint %q: scheme must be http, https, ws or wss", endpoint)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("iotws: endpoint %q has no host", endpoint)
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/mqtt"
	}
	u.RawQuery, u.Fragment = "", ""
	return u, nil
}

// Presign returns u (a ws:// or wss:// URL) presigned with SigV4 for
// SigningName, the way AWS IoT expects it: X-Amz-Algorithm,
// X-Amz-Credential, X-Amz-Date and X-Amz-SignedHeaders=host in the signed
// query, no X-Amz-Expires, and a session token appended after signing
// as X-Amz-Security-Token, outside the signature (docs/iot-core.md §7.2).
func Presign(ctx context.Context, u *url.URL, region string, creds aws.CredentialsProvider, now time.Time) (string, error) {
	c, err := creds.Retrieve(ctx)
	if err != nil {
		return "", fmt.Errorf("iotws: retrieve credentials: %w", err)
	}
	signURL := *u
	signURL.Scheme = map[string]string{"ws": "http", "wss": "https"}[u.Scheme]
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, signURL.String(), nil)
	if err != nil {
		return "", fmt.Errorf("iotws: presign: %w", err)
	}
	token := c.SessionToken
	c.SessionToken = ""
	signed, _, err := v4.NewSigner().PresignHTTP(ctx, c, req, emptySHA256, SigningName, region, now.UTC())
	if err != nil {
		return "", fmt.Errorf("iotws: presign: %w", err)
	}
	if token != "" {
		signed += "&X-Amz-Security-Token=" + url.QueryEscape(token)
	}
	out, err := url.Parse(signed)
	if err != nil {
		return "", fmt.Errorf("iotws: presign: %w", err)
	}
	out.Scheme = u.Scheme
	return out.String(), nil
}

// dial makes one connection attempt: presign, upgrade with subprotocol
// mqtt, wrap as a net.Conn of binary frames.
func dial(ctx context.Context, cfg Config, u *url.URL) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.ConnectTimeout)
	defer cancel()
	signed, err := Presign(ctx, u, cfg.Region, cfg.Credentials, cfg.Now())
	if err != nil {
		return nil, err
	}
	d := websocket.Dialer{
		Proxy: http.ProxyFromEnvironment, TLSClientConfig: cfg.TLS,
		HandshakeTimeout: cfg.ConnectTimeout, Subprotocols: []string{"mqtt"},
	}
	ws, resp, err := d.DialContext(ctx, signed, nil)
	if err != nil {
		return nil, upgradeError(u, resp, err)
	}
	return wsconn.New(ws), nil
}

// upgradeError explains a refused upgrade with the HTTP status and the
// start of the body (an AWS error such as InvalidSignatureException).
func upgradeError(u *url.URL, resp *http.Response, err error) error {
	if resp == nil {
		return fmt.Errorf("iotws: dial %s: %w", u.Redacted(), err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 512)
	n, _ := resp.Body.Read(buf)
	return fmt.Errorf("iotws: dial %s: HTTP %d %s: %w", u.Redacted(), resp.StatusCode,
		strings.TrimSpace(string(buf[:n])), err)
}
