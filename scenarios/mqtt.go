package scenarios

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iot"
	"github.com/eclipse/paho.golang/packets"
	"github.com/eclipse/paho.golang/paho"
)

// maxMessages bounds the MQTT messages a scenario keeps per client.
const maxMessages = 20_000

// The observer sees every message on the broker and publishes as asked.
const (
	observerPolicy = "StepwireScenarioObserver"
	observerDoc    = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:*","Resource":"*"}]}`
)

// seenMessage is one MQTT message a client received.
type seenMessage struct {
	Client, Topic string
	Payload       []byte
	At            time.Duration // virtual time since the scenario began
}

// identities issues certificates through the IoT API.
type identities struct {
	iot    *iot.Client
	caPool *x509.CertPool
	mu     sync.Mutex
	byName map[string]*tls.Config // thing/policy → TLS config
}

// tls issues (once per thing and policy) an active certificate attached to
// policy and thing, creating the thing if it does not exist.
func (ids *identities) tls(ctx context.Context, thing, policy string) (*tls.Config, error) {
	ids.mu.Lock()
	defer ids.mu.Unlock()
	key := thing + "/" + policy
	if c, ok := ids.byName[key]; ok {
		return c, nil
	}
	if _, err := ids.iot.DescribeThing(ctx, &iot.DescribeThingInput{ThingName: aws.String(thing)}); err != nil {
		if _, err := ids.iot.CreateThing(ctx, &iot.CreateThingInput{ThingName: aws.String(thing)}); err != nil {
			return nil, fmt.Errorf("create thing %s: %w", thing, err)
		}
	}
	out, err := ids.iot.CreateKeysAndCertificate(ctx, &iot.CreateKeysAndCertificateInput{SetAsActive: true})
	if err != nil {
		return nil, fmt.Errorf("issue certificate for %s: %w", thing, err)
	}
	if _, err := ids.iot.AttachPolicy(ctx, &iot.AttachPolicyInput{PolicyName: aws.String(policy), Target: out.CertificateArn}); err != nil {
		return nil, fmt.Errorf("attach policy %s: %w", policy, err)
	}
	if _, err := ids.iot.AttachThingPrincipal(ctx, &iot.AttachThingPrincipalInput{ThingName: aws.String(thing), Principal: out.CertificateArn}); err != nil {
		return nil, fmt.Errorf("attach thing %s: %w", thing, err)
	}
	pair, err := tls.X509KeyPair([]byte(aws.ToString(out.CertificatePem)), []byte(aws.ToString(out.KeyPair.PrivateKey)))
	if err != nil {
		return nil, fmt.Errorf("certificate of %s: %w", thing, err)
	}
	c := &tls.Config{RootCAs: ids.caPool, Certificates: []tls.Certificate{pair}, ServerName: "localhost", MinVersion: tls.VersionTLS12}
	ids.byName[key] = c
	return c, nil
}

// createPolicy creates an IoT policy from a document.
func (ids *identities) createPolicy(ctx context.Context, name string, doc any) error {
	text, ok := doc.(string)
	if !ok {
		b, err := json.Marshal(doc)
		if err != nil {
			return fmt.Errorf("policy %s: %w", name, err)
		}
		text = string(b)
	}
	if _, err := ids.iot.CreatePolicy(ctx, &iot.CreatePolicyInput{PolicyName: aws.String(name), PolicyDocument: aws.String(text)}); err != nil {
		return fmt.Errorf("create policy %s: %w", name, err)
	}
	return nil
}

// mqttClient is a plain MQTT 5 client of the scenario (the observer, or
// one of Scenario.Clients) that records what it receives.
type mqttClient struct {
	name string
	c    *paho.Client
	mu   sync.Mutex
	seen []seenMessage
	now  func() time.Duration
}

// dialClient connects as clientID over TLS and subscribes to filters.
func dialClient(ctx context.Context, name, addr, clientID string, cfg *tls.Config, now func() time.Duration, filters []string) (*mqttClient, error) {
	conn, err := (&tls.Dialer{Config: cfg}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("client %s: dial: %w", name, err)
	}
	mc := &mqttClient{name: name, now: now}
	mc.c = paho.NewClient(paho.ClientConfig{Conn: packets.NewThreadSafeConn(conn),
		OnPublishReceived: []func(paho.PublishReceived) (bool, error){mc.receive}})
	ack, err := mc.c.Connect(ctx, &paho.Connect{ClientID: clientID, KeepAlive: 300, CleanStart: true})
	if err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("client %s: connect: %w (%+v)", name, err, ack)
	}
	for _, f := range filters {
		sa, err := mc.c.Subscribe(ctx, &paho.Subscribe{Subscriptions: []paho.SubscribeOptions{{Topic: f, QoS: 1}}})
		switch {
		case sa != nil && len(sa.Reasons) == 1 && sa.Reasons[0] >= 0x80:
			mc.recordDenied(f)
		case err != nil:
			return nil, fmt.Errorf("client %s: subscribe %s: %w", name, f, err)
		}
	}
	return mc, nil
}

func (mc *mqttClient) receive(pr paho.PublishReceived) (bool, error) {
	mc.mu.Lock()
	defer mc.mu.Unlock()
	if len(mc.seen) < maxMessages {
		mc.seen = append(mc.seen, seenMessage{Client: mc.name, Topic: pr.Packet.Topic, Payload: pr.Packet.Payload, At: mc.now()})
	}
	return true, nil
}

// recordDenied notes a refused subscription as a message on the
// pseudo-topic $denied/subscribe, so expectations can see it.
func (mc *mqttClient) recordDenied(filter string) {
	mc.mu.Lock()
	defer mc.mu.Unlock()
	mc.seen = append(mc.seen, seenMessage{Client: mc.name, Topic: "$denied/subscribe", Payload: []byte(`{"filter":` + quoteJSON(filter) + `}`), At: mc.now()})
}

func quoteJSON(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func (mc *mqttClient) messages() []seenMessage {
	mc.mu.Lock()
	defer mc.mu.Unlock()
	return append([]seenMessage(nil), mc.seen...)
}

// publish sends payload at QoS 1 and reports whether the broker took it.
func (mc *mqttClient) publish(ctx context.Context, topic string, payload []byte) (accepted bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	resp, err := mc.c.Publish(ctx, &paho.Publish{Topic: topic, QoS: 1, Payload: payload})
	if resp != nil && resp.ReasonCode >= 0x80 {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("client %s: publish %s: %w", mc.name, topic, err)
	}
	return true, nil
}

func (mc *mqttClient) close() {
	_ = mc.c.Disconnect(&paho.Disconnect{})
}

func (mc *mqttClient) closeIfSet() {
	if mc != nil {
		mc.close()
	}
}
