package emulator_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"github.com/eclipse/paho.golang/paho"

	"github.com/stepwire/stepwire/emulator/emulatortest"
)

// tenant2Policy lets tenant2 subscribe to any filter but receive and
// publish only on its own topics, so the Receive check is what must stop
// it (docs/iot-core.md §1.4: Subscribe is matched against the literal
// filter, Receive against each delivered topic).
const tenant2Policy = `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"iot:Connect","Resource":"arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}"},
 {"Effect":"Allow","Action":"iot:Subscribe","Resource":"arn:aws:iot:*:*:topicfilter/*"},
 {"Effect":"Deny","Action":"iot:Subscribe","Resource":"arn:aws:iot:*:*:topicfilter/tenant1/*"},
 {"Effect":"Allow","Action":"iot:Receive","Resource":"arn:aws:iot:*:*:topic/tenant2/*"},
 {"Effect":"Allow","Action":"iot:Publish","Resource":"arn:aws:iot:*:*:topic/tenant2/*"}]}`

func newTenant2(t *testing.T, srv *emulatortest.Server) *tls.Config {
	t.Helper()
	if err := srv.IoT.CreatePolicy("Tenant2", tenant2Policy); err != nil {
		t.Fatal(err)
	}
	if err := srv.IoT.CreateThing("tenant2", nil); err != nil {
		t.Fatal(err)
	}
	return srv.ClientTLS("tenant2", "Tenant2")
}

func TestSecondTenantIsIsolated(t *testing.T) {
	srv := emulatortest.New(t, emulatortest.WithTemplate(templatePath))
	tenant2TLS := newTenant2(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	got := make(chan string, 8)
	spy, _, err := connect(t, srv, tenant2TLS, "tenant2", func(pr paho.PublishReceived) { got <- pr.Packet.Topic })
	if err != nil {
		t.Fatal(err)
	}
	// Subscribing to tenant1's job topic by name is refused: SUBACK 0x87.
	ack, _ := spy.Subscribe(ctx, &paho.Subscribe{Subscriptions: []paho.SubscribeOptions{{Topic: "tenant1/to/worker", QoS: 1}}})
	if ack == nil || len(ack.Reasons) != 1 || ack.Reasons[0] != 0x87 {
		t.Fatalf("subscribe tenant1/to/worker: suback %+v, want reason 0x87", ack)
	}
	// Wildcards pass Subscribe (the filter strings "#" and "+/to/worker" are
	// allowed) but deliveries of tenant1's topics fail Receive.
	for _, f := range []string{"#", "+/to/worker"} {
		ack, err := spy.Subscribe(ctx, &paho.Subscribe{Subscriptions: []paho.SubscribeOptions{{Topic: f, QoS: 1}}})
		if err != nil || ack.Reasons[0] > 1 {
			t.Fatalf("subscribe %s: %v %+v", f, err, ack)
		}
	}
	jobs := subscribeJobs(t, srv)
	if err := srv.IoT.Publish(ctx, "tenant1/to/worker", []byte(`{"Input":{},"TaskToken":"t1"}`), 1); err != nil {
		t.Fatal(err)
	}
	<-jobs // tenant1's worker got it, so the broker has routed it.
	if err := srv.IoT.Publish(ctx, "tenant2/to/worker", []byte(`{}`), 1); err != nil {
		t.Fatal(err)
	}
	// Messages reach tenant2 in publish order: its own message must be the
	// first one it sees.
	if topic := <-got; topic != "tenant2/to/worker" {
		t.Fatalf("tenant2 received %s", topic)
	}

	// Publishing a forged result to tenant1's results topic: PUBACK 0x87.
	resp, err := spy.Publish(ctx, &paho.Publish{Topic: "tenant1/to/lambda", QoS: 1, Payload: []byte(`{"TaskToken":"x","result":1}`)})
	if resp == nil || resp.ReasonCode != 0x87 {
		t.Fatalf("publish to tenant1/to/lambda: %+v %v, want reason 0x87", resp, err)
	}
}

func TestConnectionsRefused(t *testing.T) {
	srv := emulatortest.New(t, emulatortest.WithTemplate(templatePath))
	good := srv.ClientTLS(thing, policy)

	noCert := &tls.Config{RootCAs: srv.CAPool(), ServerName: "localhost"}
	otherCA := good.Clone()
	otherCA.Certificates = []tls.Certificate{selfSigned(t)}

	for name, cfg := range map[string]*tls.Config{"no certificate": noCert, "certificate from another CA": otherCA} {
		t.Run(name, func(t *testing.T) {
			if _, _, err := connect(t, srv, cfg, thing, nil); err == nil {
				t.Fatal("connection accepted")
			}
		})
	}
	t.Run("client id other than the thing", func(t *testing.T) {
		_, ack, err := connect(t, srv, good, "someone-else", nil)
		if err == nil || ack == nil || ack.ReasonCode != 0x87 {
			t.Fatalf("connect: err %v connack %+v, want reason 0x87", err, ack)
		}
	})
	t.Run("the thing itself", func(t *testing.T) {
		if _, _, err := connect(t, srv, good, thing, nil); err != nil {
			t.Fatal(err)
		}
	})
}

func selfSigned(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "intruder"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}
