package bench

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"testing"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/listeners"
	"github.com/mochi-mqtt/server/v2/packets"
)

// mochiBroker starts bare mochi, the broker stepwire embeds, as a user
// would run it: the same mTLS setup (TLS 1.2+, a client certificate from
// the CA required) and an allow-all hook like mochi's auth.AllowHook, without stepwire's
// IoT policy, rules, lifecycle events or limits. The bar of issue 15 is
// stepwire at 0.9× of it or better.
func mochiBroker(b *testing.B) *brokerTarget {
	_, addr, clients := bareMochi(b, "mochi", false)
	return &brokerTarget{name: "mochi", addr: addr, client: clients}
}

// bareMochi starts mochi with mochiBroker's mTLS listener, and an inline
// client (for publishes from the broker's own process) when inline is
// set. It returns the broker, its address and the clients' TLS
// configurations.
func bareMochi(b *testing.B, id string, inline bool) (*mqtt.Server, string, func(i int) *tls.Config) {
	ca, server, clients := brokerPKI(b)
	roots := x509.NewCertPool()
	roots.AddCert(ca.Cert)
	srv := mqtt.New(&mqtt.Options{InlineClient: inline, Logger: slog.New(slog.DiscardHandler)})
	if err := srv.AddHook(new(allowAll), nil); err != nil {
		b.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", brokerFreePort(b))
	tcp := listeners.NewTCP(listeners.Config{ID: id, Address: addr, TLSConfig: &tls.Config{
		Certificates: []tls.Certificate{server}, ClientCAs: roots,
		ClientAuth: tls.RequireAndVerifyClientCert, MinVersion: tls.VersionTLS12,
	}})
	if err := srv.AddListener(tcp); err != nil {
		b.Fatal(err)
	}
	if err := srv.Serve(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = srv.Close() })
	return srv, addr, clients
}

// brokerRatios prints stepwire's figures over another broker's, the form
// of issue 15's bar (0.9× bare mochi, above mosquitto).
func brokerRatios(figures map[string][3]float64, other string) {
	sw, ok1 := figures["stepwire"]
	o, ok2 := figures[other]
	if !ok1 || !ok2 {
		return
	}
	fmt.Printf("broker_ratio_vs_%s_msgs_1client=%.2f broker_ratio_vs_%s_msgs_100clients=%.2f broker_ratio_vs_%s_connects=%.2f\n",
		other, sw[0]/o[0], other, sw[1]/o[1], other, sw[2]/o[2])
}

// allowAll admits every client and every topic, as mochi's auth.AllowHook
// does (whose package would add a YAML module for its ledger).
type allowAll struct{ mqtt.HookBase }

func (*allowAll) ID() string { return "allow-all" }

func (*allowAll) Provides(b byte) bool {
	return b == mqtt.OnConnectAuthenticate || b == mqtt.OnACLCheck
}

func (*allowAll) OnConnectAuthenticate(*mqtt.Client, packets.Packet) bool { return true }

func (*allowAll) OnACLCheck(*mqtt.Client, string, bool) bool { return true }
