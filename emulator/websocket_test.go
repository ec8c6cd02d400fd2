package emulator_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/iotdataplane"
	"github.com/eclipse/paho.golang/autopaho"
	"github.com/eclipse/paho.golang/paho"
	"github.com/gorilla/websocket"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/internal/iotws"
	"github.com/stepwire/stepwire/internal/wsconn"
)

// tempKey is a temporary credential: its session token must come along.
var tempKey = awsapi.Credential{Profile: "tmp", AccessKeyID: "ASIASTEPWIRETMP", SecretAccessKey: "tmp-secret",
	SessionToken: "tmp/token+with=chars"}

func wsEmulator(t *testing.T) *emulatortest.Server {
	return emulatortest.New(t, emulatortest.WithCredentials(ciKey, tempKey))
}

func creds(c awsapi.Credential) aws.Credentials {
	return aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken}
}

// wsPresign describes an upgrade URL and how it is signed.
type wsPresign struct {
	unsigned        bool
	creds           aws.Credentials
	service, region string
	skew            time.Duration // X-Amz-Date minus now
	expires         string
	signToken       bool // sign the session token (aws-sdk-go-v2) instead of appending it (AWS IoT)
}

func (p wsPresign) url(t *testing.T, endpoint string) string {
	t.Helper()
	u := strings.Replace(endpoint, "http://", "ws://", 1) + "/mqtt"
	if p.unsigned {
		return u
	}
	if p.expires != "" {
		u += "?X-Amz-Expires=" + p.expires
	}
	c := p.creds
	if c.AccessKeyID == "" {
		c = creds(ciKey)
	}
	token := c.SessionToken
	if !p.signToken {
		c.SessionToken = ""
	}
	req, _ := http.NewRequest(http.MethodGet, strings.Replace(u, "ws://", "http://", 1), nil)
	signed, _, err := v4.NewSigner().PresignHTTP(context.Background(), c, req,
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		or(p.service, "iotdevicegateway"), or(p.region, "us-east-1"), time.Now().Add(p.skew))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" && !p.signToken {
		signed += "&X-Amz-Security-Token=" + url.QueryEscape(token)
	}
	return strings.Replace(signed, "http://", "ws://", 1)
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// docs/iot-core.md §7.2: the upgrade request of MQTT over WebSocket is
// authenticated by a SigV4 presigned query; a refusal is an HTTP 403 with
// the AWS error, before any MQTT.
func TestSpecWebSocketSigV4(t *testing.T) {
	srv := wsEmulator(t)
	ends := srv.Endpoints().HTTP
	for _, tc := range []struct {
		name      string
		p         wsPresign
		code, msg string // "" for a good upgrade and CONNACK
	}{
		{"unsigned", wsPresign{unsigned: true}, "MissingAuthenticationTokenException", "Missing Authentication Token"},
		{"bad signature", wsPresign{creds: aws.Credentials{AccessKeyID: ciKey.AccessKeyID, SecretAccessKey: "wrong"}},
			"InvalidSignatureException", "The request signature we calculated does not match"},
		{"unknown key", wsPresign{creds: aws.Credentials{AccessKeyID: "AKIDNOPE", SecretAccessKey: "x"}},
			"UnrecognizedClientException", "The security token included in the request is invalid."},
		{"X-Amz-Expires passed", wsPresign{skew: -10 * time.Minute, expires: "300"}, "InvalidSignatureException", "Signature expired:"},
		{"clock skew", wsPresign{skew: 10 * time.Minute}, "InvalidSignatureException", "Signature not yet current:"},
		{"stale without X-Amz-Expires", wsPresign{skew: -10 * time.Minute}, "InvalidSignatureException", "Signature expired:"},
		{"wrong service", wsPresign{service: "iot"}, "InvalidSignatureException",
			"Credential should be scoped to correct service: 'iotdevicegateway' or 'iotdata'."},
		{"wrong region", wsPresign{region: "eu-west-1"}, "InvalidSignatureException",
			"Credential should be scoped to a valid region, not 'eu-west-1'."},
		{"session token missing", wsPresign{creds: aws.Credentials{AccessKeyID: tempKey.AccessKeyID, SecretAccessKey: tempKey.SecretAccessKey}},
			"UnrecognizedClientException", "The security token included in the request is invalid."},
		{"good, iotdevicegateway", wsPresign{}, "", ""},
		{"good, iotdata", wsPresign{service: "iotdata"}, "", ""},
		{"good within a day's X-Amz-Expires", wsPresign{skew: -time.Hour, expires: "86400"}, "", ""},
		{"good, session token appended after signing", wsPresign{creds: creds(tempKey)}, "", ""},
		{"good, session token signed", wsPresign{creds: creds(tempKey), signToken: true}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			d := websocket.Dialer{Subprotocols: []string{"mqtt"}}
			ws, resp, err := d.DialContext(ctx, tc.p.url(t, ends), nil)
			if tc.code != "" {
				if err == nil {
					ws.Close()
					t.Fatal("upgrade accepted")
				}
				if resp == nil || resp.StatusCode != http.StatusForbidden {
					t.Fatalf("want HTTP 403, got %v (%v)", resp, err)
				}
				var body map[string]string
				b, _ := io.ReadAll(resp.Body)
				if err := json.Unmarshal(b, &body); err != nil {
					t.Fatalf("body %s: %v", b, err)
				}
				if resp.Header.Get("X-Amzn-ErrorType") != tc.code || !strings.HasPrefix(body["message"], tc.msg) {
					t.Fatalf("got %s %q, want %s %q", resp.Header.Get("X-Amzn-ErrorType"), body["message"], tc.code, tc.msg)
				}
				return
			}
			if err != nil {
				t.Fatalf("upgrade: %v", err)
			}
			cli := paho.NewClient(paho.ClientConfig{Conn: wsconn.New(ws)})
			ack, err := cli.Connect(ctx, &paho.Connect{ClientID: "sigv4-" + strings.ReplaceAll(tc.name, " ", "-")[:12], KeepAlive: 30, CleanStart: true})
			if err != nil || ack.ReasonCode != 0 {
				t.Fatalf("CONNACK %v: %v", ack, err)
			}
			_ = cli.Disconnect(&paho.Disconnect{})
		})
	}
}

// docs/iot-core.md §7.4: the Go client subscribes over WebSocket with the
// emulator's key and receives a data-plane Publish; each reconnect
// presigns anew with credentials fetched again.
func TestIoTWebSocketClientRoundTrip(t *testing.T) {
	srv := wsEmulator(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var fetched atomic.Int32
	provider := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		fetched.Add(1)
		return creds(tempKey), nil
	})
	got := make(chan string, 8)
	subscribed := make(chan struct{}, 8)
	cm, err := iotws.Connect(ctx, iotws.Config{
		Endpoint: srv.Endpoints().HTTP, Region: "us-east-1", Credentials: provider, ClientID: "progress-test",
		OnConnectionUp: func(cm *autopaho.ConnectionManager, _ *paho.Connack) {
			go func() {
				if _, err := cm.Subscribe(ctx, &paho.Subscribe{Subscriptions: []paho.SubscribeOptions{{Topic: "progress/#", QoS: 1}}}); err == nil {
					subscribed <- struct{}{}
				}
			}()
		},
		OnPublish: func(pr paho.PublishReceived) (bool, error) {
			got <- pr.Packet.Topic + " " + string(pr.Packet.Payload)
			return true, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cm.Disconnect(context.Background()) }()
	data := iotdataplane.NewFromConfig(srv.AWSConfig())
	publish := func(payload string) {
		t.Helper()
		<-subscribed
		if _, err := data.Publish(ctx, &iotdataplane.PublishInput{Topic: aws.String("progress/exec1"), Qos: 1,
			Payload: []byte(payload)}); err != nil {
			t.Fatal(err)
		}
		select {
		case m := <-got:
			if m != "progress/exec1 "+payload {
				t.Fatalf("received %q", m)
			}
		case <-ctx.Done():
			t.Fatal("no message over the WebSocket")
		}
	}
	publish(`{"done":1}`)

	// The server drops the connection; autopaho reconnects at once with a
	// URL presigned from credentials fetched again.
	before := fetched.Load()
	if _, err := data.DeleteConnection(ctx, &iotdataplane.DeleteConnectionInput{ClientId: aws.String("progress-test")}); err != nil {
		t.Fatal(err)
	}
	publish(`{"done":2}`)
	if fetched.Load() <= before {
		t.Errorf("credentials fetched %d times, not again on reconnect", fetched.Load())
	}
}

// An independent client: the AWS Common Runtime (python3-awscrt), signing
// the upgrade the way AWS IoT's device SDK does (iotdevicegateway, session
// token outside the signature), connects, subscribes and receives its own
// publish (docs/iot-core.md §7.2).
func TestAWSCRTWebSocketClient(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err == nil {
		err = exec.Command(py, "-c", "import awscrt.mqtt, awscrt.auth").Run()
	}
	if err != nil && fileExists("/usr/bin/python3") { // a virtualenv may hide Debian's python3-awscrt
		py = "/usr/bin/python3"
		err = exec.Command(py, "-c", "import awscrt.mqtt, awscrt.auth").Run()
	}
	if err != nil {
		t.Skipf("python3 with awscrt is not available (apt-get install python3-awscrt): %v", err)
	}
	srv := wsEmulator(t)
	u, _ := url.Parse(srv.Endpoints().HTTP)
	for _, tc := range []struct {
		name string
		key  awsapi.Credential
		ok   bool
	}{
		{"long-term key", ciKey, true},
		{"temporary key", tempKey, true},
		{"wrong secret", awsapi.Credential{AccessKeyID: ciKey.AccessKeyID, SecretAccessKey: "wrong"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, py, "testdata/awscrt_websocket.py", u.Hostname(), u.Port(), "us-east-1",
				"awscrt-"+strings.ReplaceAll(tc.name, " ", "-"), "progress/awscrt")
			cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID="+tc.key.AccessKeyID,
				"AWS_SECRET_ACCESS_KEY="+tc.key.SecretAccessKey, "AWS_SESSION_TOKEN="+tc.key.SessionToken)
			out, err := cmd.CombinedOutput()
			if tc.ok != (err == nil) {
				t.Fatalf("ok=%v, got %v:\n%s", tc.ok, err, out)
			}
			if tc.ok && !strings.Contains(string(out), "received hello from awscrt") {
				t.Fatalf("output:\n%s", out)
			}
		})
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// The emulator's Close ends MQTT over WebSocket connections, which the
// HTTP server's Shutdown leaves alone once upgraded, within its bounds.
func TestCloseEndsWebSocketConnections(t *testing.T) {
	srv := wsEmulator(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws, _, err := (&websocket.Dialer{Subprotocols: []string{"mqtt"}}).DialContext(ctx, wsPresign{}.url(t, srv.Endpoints().HTTP), nil)
	if err != nil {
		t.Fatal(err)
	}
	down := make(chan struct{})
	cli := paho.NewClient(paho.ClientConfig{Conn: wsconn.New(ws), OnServerDisconnect: func(*paho.Disconnect) { close(down) }})
	if _, err := cli.Connect(ctx, &paho.Connect{ClientID: "closing", KeepAlive: 30, CleanStart: true}); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	if err := srv.Emulator.Close(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(began); d > 3*time.Second {
		t.Errorf("Close took %v", d)
	}
	select {
	case <-down:
	case <-ctx.Done():
		t.Fatal("the WebSocket client was not disconnected")
	}
}
