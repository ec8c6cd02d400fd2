package bench

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eclipse/paho.golang/packets"
	"github.com/eclipse/paho.golang/paho"

	"github.com/stepwire/stepwire/emulator/iotemu"
)

// brokerPolicy is the ACL both brokers enforce: a client connects with its
// thing name and uses only bench/<its name> (mosquitto: pattern
// readwrite bench/%u with the certificate CN as user name).
const brokerPolicy = `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"iot:Connect","Resource":"arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}",
  "Condition":{"Bool":{"iot:Connection.Thing.IsAttached":"true"}}},
 {"Effect":"Allow","Action":"iot:Subscribe","Resource":"arn:aws:iot:*:*:topicfilter/bench/${iot:Connection.Thing.ThingName}"},
 {"Effect":"Allow","Action":["iot:Publish","iot:Receive"],"Resource":"arn:aws:iot:*:*:topic/bench/${iot:Connection.Thing.ThingName}"}]}`

const (
	brokerMessages    = 20000 // per throughput run
	brokerConnects    = 400   // per connect-rate run
	brokerConnectPar  = 8     // concurrent handshakes
	brokerManyClients = 100
)

// brokerTarget is a running broker with mTLS credentials for its clients.
type brokerTarget struct {
	name string
	addr string
	// client returns the TLS configuration of client i (its thing / CN is
	// brokerClientID(i)).
	client func(i int) *tls.Config
}

func brokerClientID(i int) string { return fmt.Sprintf("bench-%03d", i) }

// BenchmarkBroker measures the broker alone over mTLS: publish→receive
// messages/s with 1 and with 100 connected clients (each publishing QoS 1
// to its own topic and subscribed to it), and MQTT connects/s (TLS
// handshake + CONNECT/CONNACK). It runs stepwire and bare mochi always,
// and Debian's mosquitto, with an equivalent TLS and ACL configuration,
// when /usr/sbin/mosquitto exists; it prints one line per broker and
// stepwire's ratios to the others.
func BenchmarkBroker(b *testing.B) {
	targets := []func(*testing.B) *brokerTarget{stepwireBroker, mochiBroker}
	if mosquittoAvailable() {
		targets = append(targets, mosquittoBroker)
	} else {
		fmt.Println("broker_mosquitto=skipped (no /usr/sbin/mosquitto; apt-get install mosquitto)")
	}
	for b.Loop() {
		figures := map[string][3]float64{}
		for _, start := range targets {
			tg := start(b)
			one := brokerThroughput(b, tg, 1, 64)
			many := brokerThroughput(b, tg, brokerManyClients, 2)
			conns := brokerConnectRate(b, tg)
			b.ReportMetric(one, tg.name+"_msgs/s_1client")
			b.ReportMetric(many, tg.name+"_msgs/s_100clients")
			b.ReportMetric(conns, tg.name+"_connects/s")
			fmt.Printf("broker_%s_msgs_per_s_1client=%.0f broker_%s_msgs_per_s_100clients=%.0f broker_%s_connects_per_s=%.0f\n",
				tg.name, one, tg.name, many, tg.name, conns)
			figures[tg.name] = [3]float64{one, many, conns}
		}
		brokerRatios(figures, "mochi")
		brokerRatios(figures, "mosquitto")
	}
}

// stepwireBroker starts the IoT service alone, with one thing, policy and
// certificate per client.
func stepwireBroker(b *testing.B) *brokerTarget {
	s, err := iotemu.New(iotemu.Config{DataDir: b.TempDir(), MQTTAddr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	if err := s.CreatePolicy("Bench", brokerPolicy); err != nil {
		b.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(s.CACertPEM())
	cfgs := make([]*tls.Config, brokerManyClients)
	for i := range cfgs {
		id := brokerClientID(i)
		if err := s.CreateThing(id, nil); err != nil {
			b.Fatal(err)
		}
		certPEM, keyPEM, _, err := s.IssueCertificate(id, "Bench")
		if err != nil {
			b.Fatal(err)
		}
		pair, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			b.Fatal(err)
		}
		cfgs[i] = &tls.Config{RootCAs: roots, Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
	}
	return &brokerTarget{name: "stepwire", addr: s.MQTTAddr(), client: func(i int) *tls.Config { return cfgs[i%len(cfgs)] }}
}

type brokerConn struct {
	*paho.Client
	received *atomic.Int64
}

func brokerDial(ctx context.Context, tg *brokerTarget, i int, onMessage func()) (*paho.Client, error) {
	conn, err := (&tls.Dialer{Config: tg.client(i)}).DialContext(ctx, "tcp", tg.addr)
	if err != nil {
		return nil, err
	}
	c := paho.NewClient(paho.ClientConfig{
		Conn: packets.NewThreadSafeConn(conn),
		OnPublishReceived: []func(paho.PublishReceived) (bool, error){func(paho.PublishReceived) (bool, error) {
			if onMessage != nil {
				onMessage()
			}
			return true, nil
		}},
	})
	ack, err := c.Connect(ctx, &paho.Connect{ClientID: brokerClientID(i), KeepAlive: 60, CleanStart: true})
	if err != nil {
		_ = conn.Close()
		if ack != nil {
			return nil, fmt.Errorf("connect %s: reason 0x%02x: %w", brokerClientID(i), ack.ReasonCode, err)
		}
		return nil, fmt.Errorf("connect %s: %w", brokerClientID(i), err)
	}
	return c, nil
}

// brokerThroughput connects n clients, each subscribed at QoS 1 to its own
// topic, and has each publish QoS 1 messages to that topic from inflight
// goroutines; it returns messages received per second.
func brokerThroughput(b *testing.B, tg *brokerTarget, n, inflight int) float64 {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var received atomic.Int64
	done := make(chan struct{})
	var once sync.Once
	onMessage := func() {
		if received.Add(1) == brokerMessages {
			once.Do(func() { close(done) })
		}
	}
	clients := make([]*paho.Client, n)
	for i := range clients {
		c, err := brokerDial(ctx, tg, i, onMessage)
		if err != nil {
			b.Fatal(err)
		}
		defer func() { _ = c.Disconnect(&paho.Disconnect{}) }()
		topic := "bench/" + brokerClientID(i)
		if _, err := c.Subscribe(ctx, &paho.Subscribe{Subscriptions: []paho.SubscribeOptions{{Topic: topic, QoS: 1}}}); err != nil {
			b.Fatalf("%s: subscribe: %v", tg.name, err)
		}
		clients[i] = c
	}
	payload := []byte(`{"Input":{"a":15,"b":42},"TaskToken":"AAAAKgAAAAIAAAAAAAAAAQ-benchmark-token"}`)
	perWorker := brokerMessages / (n * inflight)
	start := time.Now()
	var wg sync.WaitGroup
	for i, c := range clients {
		topic := "bench/" + brokerClientID(i)
		for w := 0; w < inflight; w++ {
			count := perWorker
			if i == 0 && w == 0 {
				count += brokerMessages - perWorker*n*inflight
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := 0; k < count; k++ {
					if _, err := c.Publish(ctx, &paho.Publish{Topic: topic, QoS: 1, Payload: payload}); err != nil {
						b.Errorf("%s: publish: %v", tg.name, err)
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	select {
	case <-done:
	case <-ctx.Done():
		b.Fatalf("%s: received %d of %d messages", tg.name, received.Load(), brokerMessages)
	}
	return brokerMessages / time.Since(start).Seconds()
}

// brokerConnectRate opens and closes mTLS MQTT connections from
// brokerConnectPar goroutines and returns connects per second.
func brokerConnectRate(b *testing.B, tg *brokerTarget) float64 {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < brokerConnectPar; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1))
				if i > brokerConnects {
					return
				}
				// Each goroutine uses its own client ids, so connections
				// never take each other over.
				c, err := brokerDial(ctx, tg, w+brokerConnectPar*(i%(brokerManyClients/brokerConnectPar)), nil)
				if err != nil {
					b.Errorf("%s: %v", tg.name, err)
					return
				}
				_ = c.Disconnect(&paho.Disconnect{})
			}
		}()
	}
	wg.Wait()
	return brokerConnects / time.Since(start).Seconds()
}
