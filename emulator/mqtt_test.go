package emulator_test

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"testing"
	"time"

	"github.com/eclipse/paho.golang/packets"
	"github.com/eclipse/paho.golang/paho"

	"github.com/stepwire/stepwire/emulator/emulatortest"
)

// connect opens an MQTT 5 session over TLS as clientID.
func connect(t *testing.T, srv *emulatortest.Server, tlsCfg *tls.Config, clientID string, onMsg func(paho.PublishReceived)) (*paho.Client, *paho.Connack, error) {
	t.Helper()
	conn, err := tls.Dial("tcp", srv.Endpoints().MQTT, tlsCfg)
	if err != nil {
		return nil, nil, err
	}
	// paho's pinger and its packet writes share the connection: serialise
	// them, or a PINGREQ can interleave with a SUBSCRIBE's bytes.
	c := paho.NewClient(paho.ClientConfig{Conn: packets.NewThreadSafeConn(conn), OnPublishReceived: []func(paho.PublishReceived) (bool, error){
		func(pr paho.PublishReceived) (bool, error) {
			if onMsg != nil {
				onMsg(pr)
			}
			return true, nil
		},
	}})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ack, err := c.Connect(ctx, &paho.Connect{ClientID: clientID, KeepAlive: 30, CleanStart: true})
	if err != nil {
		_ = conn.Close()
		return nil, ack, err
	}
	t.Cleanup(func() { _ = c.Disconnect(&paho.Disconnect{}) })
	return c, ack, nil
}

// subscribeJobs plays the worker: it subscribes to the template's job
// topic with the worker's certificate and returns the jobs it receives.
func subscribeJobs(t *testing.T, srv *emulatortest.Server) <-chan job {
	t.Helper()
	jobs := make(chan job, 16)
	c, _, err := connect(t, srv, srv.ClientTLS(thing, policy), thing, func(pr paho.PublishReceived) {
		var j job
		if err := json.Unmarshal(pr.Packet.Payload, &j); err == nil {
			jobs <- j
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ack, err := c.Subscribe(ctx, &paho.Subscribe{Subscriptions: []paho.SubscribeOptions{{Topic: "tenant1/to/worker", QoS: 1}}})
	if err != nil {
		t.Fatalf("subscribe: %v (%+v)", err, ack)
	}
	return jobs
}
