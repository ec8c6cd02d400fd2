package wsconn

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

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
