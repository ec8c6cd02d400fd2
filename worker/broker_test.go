package worker

import (
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/listeners"
	"github.com/mochi-mqtt/server/v2/packets"
)

// testBroker is a mochi broker on 127.0.0.1 that requires client
// certificates from pki, with an inline client for the test's side.
type testBroker struct {
	srv   *mqtt.Server
	addr  string
	allow *allowHook
}

func newTestBroker(t testing.TB, pki *testPKI) *testBroker {
	t.Helper()
	srv := mqtt.New(&mqtt.Options{
		InlineClient: true,
		Logger:       slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	allow := new(allowHook)
	if err := srv.AddHook(allow, nil); err != nil {
		t.Fatalf("add hook: %v", err)
	}
	l := listeners.NewTCP(listeners.Config{ID: "mtls", Address: "127.0.0.1:0", TLSConfig: pki.serverTLS()})
	if err := srv.AddListener(l); err != nil {
		t.Fatalf("add listener: %v", err)
	}
	if err := srv.Serve(); err != nil {
		t.Fatalf("serve: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return &testBroker{srv: srv, addr: l.Address(), allow: allow}
}

// publish sends payload to topic as the inline client.
func (b *testBroker) publish(t testing.TB, topic string, payload string) {
	t.Helper()
	if err := b.srv.Publish(topic, []byte(payload), false, 1); err != nil {
		t.Fatalf("publish to %s: %v", topic, err)
	}
}

// subscribe returns a channel of the payloads published to filter.
func (b *testBroker) subscribe(t testing.TB, filter string) <-chan string {
	t.Helper()
	ch := make(chan string, 64)
	err := b.srv.Subscribe(filter, 1, func(_ *mqtt.Client, _ packets.Subscription, pk packets.Packet) {
		ch <- string(pk.Payload)
	})
	if err != nil {
		t.Fatalf("subscribe %s: %v", filter, err)
	}
	return ch
}

// kick disconnects the client with id, as a broker restart or network
// failure would.
func (b *testBroker) kick(t testing.TB, id string) {
	t.Helper()
	cl, ok := b.srv.Clients.Get(id)
	if !ok {
		t.Fatalf("client %s is not connected", id)
	}
	_ = b.srv.DisconnectClient(cl, packets.ErrServerUnavailable)
}

// receive waits for the next message on ch.
func receive(t testing.TB, ch <-chan string) string {
	t.Helper()
	select {
	case m := <-ch:
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("no message within 10s")
		return ""
	}
}

// allowHook lets every certificate-verified client connect, publish and
// subscribe (policy enforcement is the emulator's business), unless the test
// sets refuse, which turns new connections away, or denyRead.
type allowHook struct {
	mqtt.HookBase
	refuse atomic.Bool
	// denyRead, if set, is a topic filter no client may subscribe to.
	denyRead atomic.Pointer[string]
}

func (h *allowHook) ID() string { return "allow" }

func (h *allowHook) Provides(b byte) bool {
	return b == mqtt.OnConnectAuthenticate || b == mqtt.OnACLCheck
}

func (h *allowHook) OnConnectAuthenticate(*mqtt.Client, packets.Packet) bool { return !h.refuse.Load() }

func (h *allowHook) OnACLCheck(_ *mqtt.Client, topic string, write bool) bool {
	deny := h.denyRead.Load()
	return write || deny == nil || *deny != topic
}
