package wsconn

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eclipse/paho.golang/packets"
	"github.com/gorilla/websocket"
)

// pair returns a client Conn and runs serve on the server's WebSocket.
func pair(t *testing.T, serve func(*websocket.Conn)) *Conn {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		serve(ws)
	}))
	t.Cleanup(srv.Close)
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	c := New(ws)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// MQTT 5.0 §6: packets may span frames or share them; a reader sees one
// byte stream whatever the frame boundaries, empty frames included.
func TestReadIgnoresFrameBoundaries(t *testing.T) {
	c := pair(t, func(ws *websocket.Conn) {
		for _, f := range []string{"ab", "", "cde", "f"} {
			_ = ws.WriteMessage(websocket.BinaryMessage, []byte(f))
		}
		_ = ws.WriteMessage(websocket.TextMessage, []byte("text"))
		_, _, _ = ws.ReadMessage()
	})
	buf := make([]byte, 2)
	var got []byte
	for len(got) < 6 {
		n, err := c.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, buf[:n]...)
	}
	if string(got) != "abcdef" {
		t.Fatalf("read %q", got)
	}
	if _, err := c.Read(buf); !errors.Is(err, ErrTextFrame) {
		t.Fatalf("text frame: %v", err)
	}
}

// Writes from several goroutines arrive whole, one frame each.
func TestConcurrentWrites(t *testing.T) {
	const n = 50
	frames := make(chan string, n)
	c := pair(t, func(ws *websocket.Conn) {
		for range n {
			_, b, err := ws.ReadMessage()
			if err != nil {
				return
			}
			frames <- string(b)
		}
	})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = c.SetDeadline(time.Now().Add(10 * time.Second))
			if _, err := c.Write([]byte(strings.Repeat(string(rune('a'+i%26)), 1000))); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for range n {
		f := <-frames
		if len(f) != 1000 || strings.Count(f, f[:1]) != 1000 {
			t.Fatalf("interleaved frame %q...", f[:20])
		}
	}
}

// paho writes a packet's header and body in separate Writes, holding the
// connection's lock when it is a sync.Locker: packets written from
// several goroutines (a publish and the pinger's PINGREQ, say) arrive
// whole and decode.
func TestPahoPacketsDoNotInterleave(t *testing.T) {
	const n, writers = 300, 8
	decoded := make(chan error, 1)
	c := pair(t, func(ws *websocket.Conn) {
		r := New(ws)
		for range writers * n {
			if _, err := packets.ReadPacket(r); err != nil {
				decoded <- err
				return
			}
		}
		decoded <- nil
	})
	var wg sync.WaitGroup
	for g := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n {
				p := &packets.Publish{Topic: "t/" + strings.Repeat("x", g*7+i%13), QoS: 1, PacketID: uint16(i + 1),
					Payload: []byte(strings.Repeat("p", 100+i)), Properties: &packets.Properties{}}
				if _, err := p.WriteTo(c); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := <-decoded; err != nil {
		t.Fatalf("a packet did not decode: %v", err)
	}
}
