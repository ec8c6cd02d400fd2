package scenarios

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iot"
	iottypes "github.com/aws/aws-sdk-go-v2/service/iot/types"
	"github.com/eclipse/paho.golang/packets"
	"github.com/eclipse/paho.golang/paho"
)

// maxMessages bounds the MQTT messages a scenario keeps per client.
const maxMessages = 20_000

// The observer sees every message on the broker and publishes as asked.
const (
	observerThing  = "stepwire-scenario-observer"
	observerPolicy = "StepwireScenarioObserver"
	observerDoc    = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:*","Resource":"*"}]}`
)

// seenMessage is one MQTT message a client received.
type seenMessage struct {
	Client, Topic string
	Payload       []byte
	At            time.Duration // virtual time since the scenario began
}

// identities issues certificates through the IoT API. On a shared system
// (track) it remembers what it created, for cleanUp.
type identities struct {
	iot        *iot.Client
	roots      *x509.CertPool // nil: the system's
	serverName string
	track      bool
	mu         sync.Mutex
	byName     map[string]*tls.Config // thing/policy → TLS config
	certs      []issuedCert
	things     []string
	policies   []string
}

// issuedCert is a certificate the run issued, with what it attached.
type issuedCert struct {
	arn, id, thing, policy string
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
		ids.things = append(ids.things, thing)
	}
	out, err := ids.iot.CreateKeysAndCertificate(ctx, &iot.CreateKeysAndCertificateInput{SetAsActive: true})
	if err != nil {
		return nil, fmt.Errorf("issue certificate for %s: %w", thing, err)
	}
	cert := issuedCert{arn: aws.ToString(out.CertificateArn), id: aws.ToString(out.CertificateId), thing: thing}
	ids.certs = append(ids.certs, cert)
	if _, err := ids.iot.AttachPolicy(ctx, &iot.AttachPolicyInput{PolicyName: aws.String(policy), Target: out.CertificateArn}); err != nil {
		return nil, fmt.Errorf("attach policy %s: %w", policy, err)
	}
	ids.certs[len(ids.certs)-1].policy = policy
	if _, err := ids.iot.AttachThingPrincipal(ctx, &iot.AttachThingPrincipalInput{ThingName: aws.String(thing), Principal: out.CertificateArn}); err != nil {
		return nil, fmt.Errorf("attach thing %s: %w", thing, err)
	}
	pair, err := tls.X509KeyPair([]byte(aws.ToString(out.CertificatePem)), []byte(aws.ToString(out.KeyPair.PrivateKey)))
	if err != nil {
		return nil, fmt.Errorf("certificate of %s: %w", thing, err)
	}
	c := &tls.Config{RootCAs: ids.roots, Certificates: []tls.Certificate{pair}, ServerName: ids.serverName, MinVersion: tls.VersionTLS12}
	ids.byName[key] = c
	return c, nil
}

// createPolicy creates an IoT policy from a document. On a shared system
// a policy of that name with the same document is used as it is.
func (ids *identities) createPolicy(ctx context.Context, name string, doc any) error {
	text, ok := doc.(string)
	if !ok {
		b, err := json.Marshal(doc)
		if err != nil {
			return fmt.Errorf("policy %s: %w", name, err)
		}
		text = string(b)
	}
	_, err := ids.iot.CreatePolicy(ctx, &iot.CreatePolicyInput{PolicyName: aws.String(name), PolicyDocument: aws.String(text)})
	var exists *iottypes.ResourceAlreadyExistsException
	switch {
	case err == nil:
		ids.mu.Lock()
		ids.policies = append(ids.policies, name)
		ids.mu.Unlock()
		return nil
	case ids.track && errors.As(err, &exists):
		old, gerr := ids.iot.GetPolicy(ctx, &iot.GetPolicyInput{PolicyName: aws.String(name)})
		if gerr == nil && sameJSONText(aws.ToString(old.PolicyDocument), text) {
			return nil
		}
		return fmt.Errorf("create policy %s: a policy of that name exists with another document; delete it or rename the scenario's", name)
	}
	return fmt.Errorf("create policy %s: %w", name, err)
}

func sameJSONText(a, b string) bool {
	var x, y any
	return json.Unmarshal([]byte(a), &x) == nil && json.Unmarshal([]byte(b), &y) == nil && reflect.DeepEqual(x, y)
}

// cleanUp deletes, on a shared system, the certificates, things and
// policies the run created, best effort; it returns what failed.
func (ids *identities) cleanUp(ctx context.Context) []error {
	if !ids.track {
		return nil
	}
	ids.mu.Lock()
	defer ids.mu.Unlock()
	var errs []error
	note := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	for _, c := range ids.certs {
		_, err := ids.iot.DetachThingPrincipal(ctx, &iot.DetachThingPrincipalInput{ThingName: aws.String(c.thing), Principal: aws.String(c.arn)})
		note(err)
		if c.policy != "" {
			_, err := ids.iot.DetachPolicy(ctx, &iot.DetachPolicyInput{PolicyName: aws.String(c.policy), Target: aws.String(c.arn)})
			note(err)
		}
		_, err = ids.iot.UpdateCertificate(ctx, &iot.UpdateCertificateInput{CertificateId: aws.String(c.id), NewStatus: iottypes.CertificateStatusInactive})
		note(err)
		_, err = ids.iot.DeleteCertificate(ctx, &iot.DeleteCertificateInput{CertificateId: aws.String(c.id)})
		note(err)
	}
	for _, t := range ids.things {
		_, err := ids.iot.DeleteThing(ctx, &iot.DeleteThingInput{ThingName: aws.String(t)})
		note(err)
	}
	for _, p := range ids.policies {
		_, err := ids.iot.DeletePolicy(ctx, &iot.DeletePolicyInput{PolicyName: aws.String(p)})
		note(err)
	}
	ids.certs, ids.things, ids.policies = nil, nil, nil
	return errs
}

// mqttClient is a plain MQTT 5 client of the scenario (the observer, or
// one of Scenario.Clients) that records what it receives.
type mqttClient struct {
	name string
	c    *paho.Client
	// How it connected, for redial.
	addr, clientID string
	cfg            *tls.Config
	filters        []string
	mu             sync.Mutex
	seen           []seenMessage
	now            func() time.Duration
	barriers       atomic.Int64 // barrier messages received (barrier)
}

// barrierTopic is where the observer publishes to itself at the end of a
// run on its own broker. The broker hands one client its messages in the
// order it took them, so once the observer has its barrier back it has
// every message published before it. Barrier messages are not recorded.
const barrierTopic = "stepwire-scenario/barrier"

// barrierWait bounds the wait for a barrier, on the wall clock.
const barrierWait = 10 * time.Second

// barrier publishes to barrierTopic and waits until the message is back,
// or barrierWait passes (the run then goes on, and a message still on its
// way is missing from its transcript).
func (mc *mqttClient) barrier(ctx context.Context) error {
	want := mc.barriers.Load() + 1
	if ok, err := mc.publish(ctx, barrierTopic, []byte(`{}`)); err != nil || !ok {
		return fmt.Errorf("client %s: barrier: published %v: %w", mc.name, ok, err)
	}
	for deadline := time.Now().Add(barrierWait); mc.barriers.Load() < want; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			return fmt.Errorf("client %s: barrier not back within %v", mc.name, barrierWait)
		}
	}
	return nil
}

// dialClient connects as clientID over TLS and subscribes to filters.
func dialClient(ctx context.Context, name, addr, clientID string, cfg *tls.Config, now func() time.Duration, filters []string) (*mqttClient, error) {
	mc := &mqttClient{name: name, now: now, addr: addr, clientID: clientID, cfg: cfg, filters: filters}
	if err := mc.connect(ctx, true); err != nil {
		return nil, err
	}
	return mc, nil
}

// connect opens the client's connection and subscribes to its filters,
// noting the refused ones when noteDenied.
func (mc *mqttClient) connect(ctx context.Context, noteDenied bool) error {
	name := mc.name
	conn, err := (&tls.Dialer{Config: mc.cfg}).DialContext(ctx, "tcp", mc.addr)
	if err != nil {
		return fmt.Errorf("client %s: dial: %w", name, err)
	}
	mc.c = paho.NewClient(paho.ClientConfig{Conn: packets.NewThreadSafeConn(conn),
		OnPublishReceived: []func(paho.PublishReceived) (bool, error){mc.receive}})
	ack, err := mc.c.Connect(ctx, &paho.Connect{ClientID: mc.clientID, KeepAlive: 300, CleanStart: true})
	if err != nil {
		_ = conn.Close()
		return fmt.Errorf("client %s: connect: %w (%+v)", name, err, ack)
	}
	for _, f := range mc.filters {
		sa, err := mc.c.Subscribe(ctx, &paho.Subscribe{Subscriptions: []paho.SubscribeOptions{{Topic: f, QoS: 1}}})
		switch {
		case sa != nil && len(sa.Reasons) == 1 && sa.Reasons[0] >= 0x80:
			if noteDenied {
				mc.recordDenied(f)
			}
		case err != nil:
			return fmt.Errorf("client %s: subscribe %s: %w", name, f, err)
		}
	}
	return nil
}

func (mc *mqttClient) receive(pr paho.PublishReceived) (bool, error) {
	if pr.Packet.Topic == barrierTopic {
		mc.barriers.Add(1)
		return true, nil
	}
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

// redial connects the client again as it first did, after its broker went
// away, keeping what it saw.
func (mc *mqttClient) redial(ctx context.Context) error {
	_ = mc.c.Disconnect(&paho.Disconnect{}) // the connection is gone; this frees the old client
	return mc.connect(ctx, false)           // a refused subscription was noted the first time
}
